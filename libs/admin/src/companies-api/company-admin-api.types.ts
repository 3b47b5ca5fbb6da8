import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '@vitrine/graphql';
// Circular on purpose and resolved lazily (at schema build), as in admin.types.ts.
import { AdminApiModule } from '../api/admin-api.module';

/**
 * The admin API's view of a tenant's companies and their users. Names and rules are those of
 * tenant.yaml's `company` (payment method spelled `on_account` / `prepayment`, amounts as
 * decimals in the tenant's currency).
 */
const registerIn = () => AdminApiModule;

@InputType('CompanyPaymentTermsInput', { registerIn })
export class CompanyPaymentTermsInput {
  @Field({ description: 'on_account or prepayment.' }) method: string;
  @Field(() => Int, { nullable: true, description: 'Days until due; required for on_account.' })
  netDays?: number | null;
}

@InputType('UpdateCompanyInput', {
  registerIn,
  description:
    'A field left out keeps its value; null removes an optional one (vatId, paymentTerms, creditLimit).',
})
export class UpdateCompanyInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'EU VAT id with valid check digits, e.g. NL123456782B01; spaces and dots allowed.',
  })
  vatId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "ISO 3166-1 alpha-2; default: the VAT id's country, else the seller's.",
  })
  country?: string | null;
  @Field(() => CompanyPaymentTermsInput, {
    nullable: true,
    description: 'Absent: prepayment at checkout.',
  })
  paymentTerms?: CompanyPaymentTermsInput | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Maximum open order value on account, in the tenant's currency; null: no limit.",
  })
  creditLimit?: string | null;
  @Field(() => Boolean, { nullable: true }) poNumberRequired?: boolean | null;
}

@InputType('CreateCompanyInput', { registerIn })
export class CreateCompanyInput {
  @Field({ description: 'Unique in the tenant, fixed for life: letters, digits, . _ / -.' })
  code: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) vatId?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => CompanyPaymentTermsInput, { nullable: true })
  paymentTerms?: CompanyPaymentTermsInput | null;
  @Field(() => DecimalScalar, { nullable: true }) creditLimit?: string | null;
  @Field(() => Boolean, { nullable: true }) poNumberRequired?: boolean | null;
}

@InputType('InviteCompanyUserInput', { registerIn })
export class InviteCompanyUserInput {
  @Field() email: string;
  @Field() name: string;
  @Field(() => [String], { description: 'VIEWER, REQUISITIONER, BUYER, APPROVER, COMPANY_ADMIN.' })
  roles: string[];
  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Per order, in the tenant's currency; absent: no limit.",
  })
  spendLimit?: string | null;
}

@InputType('UpdateCompanyUserInput', {
  registerIn,
  description:
    'A field left out keeps its value; spendLimit null removes the limit. Changing roles or price visibility ends the user’s sessions (their next sign-in carries the new ones).',
})
export class UpdateCompanyUserInput {
  @Field(() => String, { nullable: true, description: '1 to 200 characters.' })
  name?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the roles: VIEWER, REQUISITIONER, BUYER, APPROVER, COMPANY_ADMIN.',
  })
  roles?: string[] | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Per order, in the tenant's currency; null: no limit.",
  })
  spendLimit?: string | null;
  @Field(() => Boolean, { nullable: true }) canSeePrices?: boolean | null;
}

@ObjectType('AdminCompanyPaymentTerms', { registerIn })
export class AdminCompanyPaymentTermsType {
  @Field() method: string;
  @Field(() => Int) netDays: number;
}

@ObjectType('AdminCompany', { registerIn })
export class AdminCompanyType {
  @Field() tenantSlug: string;
  @Field() code: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) vatId: string | null;
  @Field() country: string;
  @Field(() => AdminCompanyPaymentTermsType, { nullable: true })
  paymentTerms: AdminCompanyPaymentTermsType | null;
  @Field(() => DecimalScalar, { nullable: true }) creditLimit: string | null;
  @Field(() => DecimalScalar, { description: 'Open order value on account now.' })
  creditUsed: string;
  @Field() poNumberRequired: boolean;
  @Field({ description: 'ACTIVE or BLOCKED.' }) status: string;
  @Field() currency: string;
}

@ObjectType('AdminCompanyUser', { registerIn })
export class AdminCompanyUserType {
  @Field() email: string;
  @Field() name: string;
  @Field(() => [String]) roles: string[];
  @Field(() => DecimalScalar, { nullable: true }) spendLimit: string | null;
  @Field({ description: 'Whether the user sees prices (VIEWER and up: see the roles).' })
  canSeePrices: boolean;
  @Field({ description: 'INVITED, ACTIVE or DEACTIVATED.' }) status: string;
  @Field() companyCode: string;
}
