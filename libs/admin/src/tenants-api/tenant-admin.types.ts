import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar, PageInfoType } from '@vitrine/graphql';
// Circular on purpose and resolved lazily (at schema build), as in admin.types.ts.
import { AdminApiModule } from '../api/admin-api.module';
import { TenantStatusEnum } from './tenant-status';

/**
 * The admin API's view of a tenant and its inputs. Field names and meanings are those of
 * tenant.yaml (tenants/_schema/tenant.schema.json documents every field), so a tenant can move
 * between the folder and the API without translation; enum-like values of tenant.yaml
 * (`on_account`, `untilSoldOut`, ...) keep their tenant.yaml spelling.
 */
const registerIn = () => AdminApiModule;

export { TenantStatusEnum };
registerEnumType(TenantStatusEnum, {
  name: 'TenantStatus',
  registerIn,
  description:
    'DRAFT → ACTIVE → SUSPENDED → ARCHIVED, SUSPENDED → ACTIVE, and DRAFT → ARCHIVED (an abandoned draft). Only ACTIVE tenants are served; SUSPENDED ones answer 403 TENANT_SUSPENDED; ARCHIVED ones release their domains.',
});

// ---- inputs ------------------------------------------------------------------------------

@InputType('TenantAttributeFilterInput', { registerIn })
export class TenantAttributeFilterInput {
  @Field() attribute: string;
  @Field(() => [String], { nullable: true, description: 'Allowed values (as text).' })
  in?: string[] | null;
  @Field(() => Float, { nullable: true }) min?: number | null;
  @Field(() => Float, { nullable: true }) max?: number | null;
}

@InputType('TenantAssortmentInput', { registerIn })
export class TenantAssortmentInput {
  @Field(() => [String], { nullable: true }) includeCategories?: string[] | null;
  @Field(() => [String], { nullable: true }) includeSkus?: string[] | null;
  @Field(() => [String], { nullable: true }) excludeSkus?: string[] | null;
  @Field(() => [TenantAttributeFilterInput], { nullable: true })
  attributeFilters?: TenantAttributeFilterInput[] | null;
  @Field(() => String, { nullable: true, description: 'hide, untilSoldOut (default) or show.' })
  discontinued?: string | null;
}

@InputType('TenantDiscountInput', { registerIn })
export class TenantDiscountInput {
  @Field(() => Float) percent: number;
  @Field(() => [String], { nullable: true }) categories?: string[] | null;
}

@InputType('TenantPaymentTermsInput', { registerIn })
export class TenantPaymentTermsInput {
  @Field({ description: 'on_account or prepayment.' }) method: string;
  @Field(() => Int, { nullable: true, description: 'Required for on_account.' })
  netDays?: number | null;
  @Field(() => DecimalScalar, { nullable: true }) creditLimit?: string | null;
}

@InputType('TenantShippingRateInput', { registerIn })
export class TenantShippingRateInput {
  @Field(() => [String]) countries: string[];
  @Field(() => Float, { nullable: true }) minWeightKg?: number | null;
  @Field(() => Float, { nullable: true }) maxWeightKg?: number | null;
  @Field(() => Float, { nullable: true }) maxVolumeM3?: number | null;
  @Field(() => DecimalScalar, { nullable: true }) minOrderValue?: string | null;
  @Field(() => DecimalScalar) price: string;
}

@InputType('TenantCompanyAddressInput', { registerIn })
export class TenantCompanyAddressInput {
  @Field() label: string;
  @Field({ description: 'SHIPPING or BILLING.' }) kind: string;
  @Field() name: string;
  @Field() street: string;
  @Field() postalCode: string;
  @Field() city: string;
  @Field() country: string;
  @Field(() => Boolean, { nullable: true }) default?: boolean | null;
}

@InputType('TenantCompanyUserInput', { registerIn })
export class TenantCompanyUserInput {
  @Field() email: string;
  @Field() name: string;
  @Field(() => [String], { description: 'VIEWER, REQUISITIONER, BUYER, APPROVER, COMPANY_ADMIN.' })
  roles: string[];
  @Field(() => DecimalScalar, { nullable: true }) spendLimit?: string | null;
}

@InputType('TenantCompanyInput', { registerIn })
export class TenantCompanyInput {
  @Field() name: string;
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) vatId?: string | null;
  @Field(() => Boolean, { nullable: true }) poNumberRequired?: boolean | null;
  @Field(() => [TenantCompanyAddressInput], { nullable: true })
  addresses?: TenantCompanyAddressInput[] | null;
  @Field(() => [TenantCompanyUserInput], {
    nullable: true,
    description: 'New users are invited by e-mail; nobody is ever deleted.',
  })
  users?: TenantCompanyUserInput[] | null;
}

@InputType('TenantFeatureInput', { registerIn })
export class TenantFeatureInput {
  @Field() name: string;
  @Field() enabled: boolean;
}

@InputType('TenantErpInput', { registerIn })
export class TenantErpInput {
  @Field(() => String, { nullable: true }) webhookUrl?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Name of the env variable with the HMAC key.',
  })
  secretEnv?: string | null;
  @Field(() => Boolean, { nullable: true }) dropFolder?: boolean | null;
}

/** The fields a tenant can change after creation (everything but its slug and status). */
@InputType('UpdateTenantInput', {
  registerIn,
  description:
    'A field left out keeps its value; a field set replaces it as a whole (lists too); null removes an optional field (the default applies again). Validated exactly like tenant.yaml.',
})
export class UpdateTenantInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [String], { nullable: true, description: 'Hostnames, primary first.' })
  domains?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'The first is the default.' })
  locales?: string[] | null;
  @Field(() => String, { nullable: true, description: 'ISO 4217; price lists must match.' })
  currency?: string | null;
  @Field(() => String, { nullable: true, description: 'IANA zone, default Europe/Amsterdam.' })
  timeZone?: string | null;
  @Field(() => Boolean, { nullable: true }) publicBrowsing?: boolean | null;
  @Field(() => Boolean, { nullable: true }) showListPrices?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Theme folder relative to the tenant's folder tenants/<slug>/ (default ./theme; a missing folder means the default theme). It must stay inside that folder.",
  })
  theme?: string | null;
  @Field(() => TenantAssortmentInput, { nullable: true }) assortment?: TenantAssortmentInput | null;
  @Field(() => [String], { nullable: true, description: 'Price list codes, in priority order.' })
  priceLists?: string[] | null;
  @Field(() => TenantDiscountInput, { nullable: true }) discount?: TenantDiscountInput | null;
  @Field(() => TenantPaymentTermsInput, { nullable: true })
  paymentTerms?: TenantPaymentTermsInput | null;
  @Field(() => [TenantShippingRateInput], { nullable: true })
  shipping?: TenantShippingRateInput[] | null;
  @Field(() => TenantCompanyInput, { nullable: true }) company?: TenantCompanyInput | null;
  @Field(() => [TenantFeatureInput], { nullable: true }) features?: TenantFeatureInput[] | null;
  @Field(() => TenantErpInput, { nullable: true }) erp?: TenantErpInput | null;
}

@InputType('CreateTenantInput', {
  registerIn,
  description: 'A new tenant, as in tenant.yaml; validated exactly like tenant.yaml.',
})
export class CreateTenantInput extends UpdateTenantInput {
  @Field({ description: 'Lowercase letters, digits and dashes; fixed for life.' }) slug: string;
  @Field(() => TenantStatusEnum, {
    nullable: true,
    description: 'DRAFT (default) or ACTIVE; activate a draft later with setTenantStatus.',
  })
  status?: TenantStatusEnum | null;
}

// ---- results -----------------------------------------------------------------------------

@ObjectType('AdminTenantAttributeFilter', { registerIn })
export class AdminTenantAttributeFilterType {
  @Field() attribute: string;
  @Field(() => [String], { nullable: true }) in: string[] | null;
  @Field(() => Float, { nullable: true }) min: number | null;
  @Field(() => Float, { nullable: true }) max: number | null;
}

@ObjectType('AdminTenantAssortment', { registerIn })
export class AdminTenantAssortmentType {
  @Field(() => [String]) includeCategories: string[];
  @Field(() => [String]) includeSkus: string[];
  @Field(() => [String]) excludeSkus: string[];
  @Field(() => [AdminTenantAttributeFilterType]) attributeFilters: AdminTenantAttributeFilterType[];
  @Field() discontinued: string;
}

@ObjectType('AdminTenantDiscount', { registerIn })
export class AdminTenantDiscountType {
  @Field(() => Float) percent: number;
  @Field(() => [String]) categories: string[];
}

@ObjectType('AdminTenantPaymentTerms', { registerIn })
export class AdminTenantPaymentTermsType {
  @Field() method: string;
  @Field(() => Int) netDays: number;
  @Field(() => DecimalScalar, { nullable: true }) creditLimit: string | null;
}

@ObjectType('AdminTenantShippingRate', { registerIn })
export class AdminTenantShippingRateType {
  @Field(() => [String]) countries: string[];
  @Field(() => Float, { nullable: true }) minWeightKg: number | null;
  @Field(() => Float, { nullable: true }) maxWeightKg: number | null;
  @Field(() => Float, { nullable: true }) maxVolumeM3: number | null;
  @Field(() => DecimalScalar, { nullable: true }) minOrderValue: string | null;
  @Field(() => DecimalScalar) price: string;
}

@ObjectType('AdminTenantCompanyAddress', { registerIn })
export class AdminTenantCompanyAddressType {
  @Field() label: string;
  @Field() kind: string;
  @Field() name: string;
  @Field() street: string;
  @Field() postalCode: string;
  @Field() city: string;
  @Field() country: string;
  @Field() default: boolean;
}

@ObjectType('AdminTenantCompanyUser', { registerIn })
export class AdminTenantCompanyUserType {
  @Field() email: string;
  @Field() name: string;
  @Field(() => [String]) roles: string[];
  @Field(() => DecimalScalar, { nullable: true }) spendLimit: string | null;
}

@ObjectType('AdminTenantCompany', {
  registerIn,
  description: 'The key-account company as declared (users added on the site are not listed).',
})
export class AdminTenantCompanyType {
  @Field() name: string;
  @Field(() => String, { nullable: true }) code: string | null;
  @Field(() => String, { nullable: true }) country: string | null;
  @Field(() => String, { nullable: true }) vatId: string | null;
  @Field() poNumberRequired: boolean;
  @Field(() => [AdminTenantCompanyAddressType]) addresses: AdminTenantCompanyAddressType[];
  @Field(() => [AdminTenantCompanyUserType]) users: AdminTenantCompanyUserType[];
}

@ObjectType('AdminTenantFeature', { registerIn })
export class AdminTenantFeatureType {
  @Field() name: string;
  @Field() enabled: boolean;
}

@ObjectType('AdminTenantErp', { registerIn })
export class AdminTenantErpType {
  @Field(() => String, { nullable: true }) webhookUrl: string | null;
  @Field(() => String, { nullable: true }) secretEnv: string | null;
  @Field() dropFolder: boolean;
}

@ObjectType('AdminTenant', {
  registerIn,
  description: 'A tenant (microsite) as the seller provisions it: tenant.yaml, plus its state.',
})
export class AdminTenantType {
  @Field() id: string;
  @Field() slug: string;
  @Field() name: string;
  @Field(() => TenantStatusEnum) status: TenantStatusEnum;
  @Field(() => [String], {
    description:
      'The hostnames it is served on, primary first; empty once ARCHIVED (the domains are released).',
  })
  domains: string[];
  @Field(() => [String]) locales: string[];
  @Field() currency: string;
  @Field() timeZone: string;
  @Field() publicBrowsing: boolean;
  @Field() showListPrices: boolean;
  @Field({ description: 'Theme folder relative to tenants/<slug>/, as declared.' }) theme: string;
  @Field(() => AdminTenantAssortmentType) assortment: AdminTenantAssortmentType;
  @Field(() => [String]) priceLists: string[];
  @Field(() => AdminTenantDiscountType, { nullable: true })
  discount: AdminTenantDiscountType | null;
  @Field(() => AdminTenantPaymentTermsType, { nullable: true })
  paymentTerms: AdminTenantPaymentTermsType | null;
  @Field(() => [AdminTenantShippingRateType]) shipping: AdminTenantShippingRateType[];
  @Field(() => AdminTenantCompanyType, { nullable: true }) company: AdminTenantCompanyType | null;
  @Field(() => [AdminTenantFeatureType]) features: AdminTenantFeatureType[];
  @Field(() => AdminTenantErpType, { nullable: true }) erp: AdminTenantErpType | null;
  @Field(() => Int, { description: 'Goes up with every change.' }) version: number;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType('AdminTenantEdge', { registerIn })
export class AdminTenantEdgeType {
  @Field() cursor: string;
  @Field(() => AdminTenantType) node: AdminTenantType;
}

@ObjectType('TenantConnection', { registerIn, description: 'Tenants by slug.' })
export class TenantConnectionType {
  @Field(() => [AdminTenantEdgeType]) edges: AdminTenantEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
