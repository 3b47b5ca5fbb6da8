import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar, PageInfoType } from '@vitrine/graphql';
// Circular on purpose and resolved lazily (at schema build), as in admin.types.ts.
import { AdminApiModule } from '../api/admin-api.module';

/**
 * Price lists and contract prices in the admin API. Dates in inputs are texts read exactly as
 * the price import reads `valid_from` / `valid_until` (docs/import.md): a date is a whole day
 * (price lists in the installation's zone, contract prices in the tenant's), a timestamp needs
 * an offset. Outputs are instants; null is an open end.
 */
const registerIn = () => AdminApiModule;

const VALID_FROM =
  'A date (2027-01-01: from midnight) or a timestamp with an offset (2027-01-01T00:00:00+01:00); absent or null: no start.';
const VALID_UNTIL =
  'A date (2027-12-31: the last day it applies) or a timestamp with an offset (exclusive); absent or null: no end.';

// ---- inputs ------------------------------------------------------------------------------

@InputType('CreatePriceListInput', { registerIn })
export class CreatePriceListInput {
  @Field({ description: 'Unique, fixed for life: at most 100 characters, no control characters.' })
  code: string;
  @Field() name: string;
  @Field({ description: 'ISO 4217; the tenants using the list must sell in it.' })
  currency: string;
  @Field(() => String, { nullable: true, description: VALID_FROM }) validFrom?: string | null;
  @Field(() => String, { nullable: true, description: VALID_UNTIL }) validUntil?: string | null;
}

@InputType('UpdatePriceListInput', {
  registerIn,
  description: 'A field left out keeps its value; null opens validFrom / validUntil.',
})
export class UpdatePriceListInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: VALID_FROM }) validFrom?: string | null;
  @Field(() => String, { nullable: true, description: VALID_UNTIL }) validUntil?: string | null;
}

@InputType('AdminPriceInput', {
  registerIn,
  description:
    'One price, keyed by (sku, minQuantity, validFrom): an existing key is updated, a new one created.',
})
export class AdminPriceInput {
  @Field() sku: string;
  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Quantity tier, at least 1.' })
  minQuantity?: number | null;
  @Field(() => DecimalScalar, {
    description: "Excluding VAT, at most the currency's decimals (EUR: 2).",
  })
  price: string;
  @Field(() => String, {
    nullable: true,
    description: "Optional check: must be the list's (contract prices: the tenant's) currency.",
  })
  currency?: string | null;
  @Field(() => String, { nullable: true, description: VALID_FROM }) validFrom?: string | null;
  @Field(() => String, { nullable: true, description: VALID_UNTIL }) validUntil?: string | null;
}

@InputType('AdminPriceKeyInput', { registerIn, description: 'The key of a stored price.' })
export class AdminPriceKeyInput {
  @Field() sku: string;
  @Field(() => Int, { nullable: true, defaultValue: 1 }) minQuantity?: number | null;
  @Field(() => String, { nullable: true, description: `${VALID_FROM} As stored.` })
  validFrom?: string | null;
}

// ---- results -----------------------------------------------------------------------------

@ObjectType('AdminPriceList', { registerIn })
export class AdminPriceListType {
  @Field() code: string;
  @Field() name: string;
  @Field() currency: string;
  @Field(() => Date, { nullable: true, description: 'Null: no start.' }) validFrom: Date | null;
  @Field(() => Date, { nullable: true, description: 'Exclusive; null: no end.' })
  validUntil: Date | null;
  @Field(() => [String], { description: 'Slugs of the tenants using the list, by slug.' })
  tenants: string[];
  @Field(() => Int, { description: 'Stored prices (all tiers and periods).' }) entryCount: number;
}

@ObjectType('AdminPriceListEdge', { registerIn })
export class AdminPriceListEdgeType {
  @Field() cursor: string;
  @Field(() => AdminPriceListType) node: AdminPriceListType;
}

@ObjectType('PriceListConnection', { registerIn, description: 'Price lists by code.' })
export class PriceListConnectionType {
  @Field(() => [AdminPriceListEdgeType]) edges: AdminPriceListEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}

@ObjectType('AdminPrice', { registerIn, description: 'A stored price-list or contract price.' })
export class AdminPriceType {
  @Field() sku: string;
  @Field(() => Int) minQuantity: number;
  @Field(() => DecimalScalar) price: string;
  @Field() currency: string;
  @Field(() => Date, { nullable: true, description: 'Null: no start.' }) validFrom: Date | null;
  @Field(() => Date, { nullable: true, description: 'Exclusive; null: no end.' })
  validUntil: Date | null;
}

@ObjectType('AdminPriceEdge', { registerIn })
export class AdminPriceEdgeType {
  @Field() cursor: string;
  @Field(() => AdminPriceType) node: AdminPriceType;
}

@ObjectType('AdminPriceConnection', {
  registerIn,
  description: 'Prices by SKU, tier and start of validity.',
})
export class AdminPriceConnectionType {
  @Field(() => [AdminPriceEdgeType]) edges: AdminPriceEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}

@ObjectType('PriceSetResult', { registerIn, description: 'What a set of prices did.' })
export class PriceSetResultType {
  @Field(() => Int) created: number;
  @Field(() => Int) updated: number;
  @Field(() => Int, { description: 'Given exactly as stored: not written.' }) unchanged: number;
}
