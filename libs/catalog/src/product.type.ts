import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoType } from '@vitrine/graphql';
import type { ProductRecord, VariantRecord } from './catalog.model';
import { CategoryType } from './category.type';

@ObjectType('Variant')
export class VariantType {
  @Field(() => ID) id: string;
  @Field() sku: string;
  @Field(() => String, { nullable: true }) gtin: string | null;
  @Field(() => String, { nullable: true, description: 'Manufacturer part number.' }) mpn:
    string | null;
  @Field() name: string;
  @Field() inStock: boolean;
  @Field(() => Int, { nullable: true }) weightGrams: number | null;
  /** Internal: what pricing needs to resolve `price`, `tierPrices` and `listPrice`. */
  record: VariantRecord;
}

@ObjectType('Product')
export class ProductType {
  @Field(() => ID) id: string;
  @Field() slug: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => String, { nullable: true }) manufacturer: string | null;
  @Field(() => CategoryType, { nullable: true }) category?: CategoryType | null;
  @Field(() => [VariantType]) variants?: VariantType[];
  /** Internal: resolves `variants` and `category`. */
  record: ProductRecord;
}

@ObjectType('ProductEdge')
export class ProductEdgeType {
  @Field() cursor: string;
  @Field(() => ProductType) node: ProductType;
}

@ObjectType('ProductConnection')
export class ProductConnectionType {
  @Field(() => [ProductEdgeType]) edges: ProductEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
  @Field(() => Int) totalCount: number;
}

@ObjectType('SkuLookup')
export class SkuLookupType {
  @Field() sku: string;
  @Field(() => VariantType, {
    nullable: true,
    description: "Null when unknown or outside this tenant's assortment.",
  })
  variant: VariantType | null;
}

export function toProductType(record: ProductRecord): ProductType {
  return {
    id: String(record.id),
    slug: record.slug,
    name: record.name,
    description: record.description,
    manufacturer: record.manufacturer,
    record,
  };
}

export function toVariantType(record: VariantRecord): VariantType {
  return {
    id: String(record.id),
    sku: record.sku,
    gtin: record.gtin,
    mpn: record.mpn,
    name: record.name,
    inStock: record.stockOnHand > 0,
    weightGrams: record.weightGrams,
    record,
  };
}
