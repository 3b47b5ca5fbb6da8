import {
  Field,
  ID,
  Int,
  ObjectType,
  registerEnumType,
  type FieldMiddleware,
} from '@nestjs/graphql';
import { PageInfoType } from '@vitrine/graphql';
import type {
  FacetRecord,
  MediaRecord,
  ProductRecord,
  SkuMatchKind,
  VariantRecord,
} from './catalog.model';
import { AttributeTypeEnum, AttributeValueType, FacetType } from './attribute.type';
import { CategoryType } from './category.type';

export enum VariantStatusEnum {
  ACTIVE = 'ACTIVE',
  DISCONTINUED = 'DISCONTINUED',
}
registerEnumType(VariantStatusEnum, {
  name: 'VariantStatus',
  description: 'DISCONTINUED articles may name a `successorSku`.',
});

export enum SkuMatchEnum {
  SKU = 'SKU',
  CUSTOMER_SKU = 'CUSTOMER_SKU',
}
registerEnumType(SkuMatchEnum, {
  name: 'SkuMatch',
  description:
    "SKU: the seller's article number; CUSTOMER_SKU: this customer's own article number.",
});

@ObjectType('Media')
export class MediaType {
  @Field({ description: 'image, datasheet, safety_sheet or manual.' }) kind: string;
  @Field() url: string;
  @Field(() => String, { nullable: true }) title: string | null;
}

@ObjectType('Variant')
export class VariantType {
  @Field(() => ID) id: string;
  @Field() sku: string;
  @Field(() => String, {
    nullable: true,
    description:
      "This customer's own article number for the variant, shown beside the seller's SKU.",
  })
  customerSku: string | null;
  @Field(() => String, { nullable: true }) gtin: string | null;
  @Field(() => String, { nullable: true, description: 'Manufacturer part number.' }) mpn:
    string | null;
  @Field() name: string;
  @Field() inStock: boolean;
  @Field(() => Int, { description: 'Units on hand over all warehouses.' }) stockOnHand: number;
  @Field(() => VariantStatusEnum) status: VariantStatusEnum;
  @Field(() => String, {
    nullable: true,
    description: 'The article that replaces a discontinued one.',
  })
  successorSku: string | null;
  @Field({ description: 'Unit of measure code, e.g. PCE (piece), BX (box), MTR (metre).' })
  unit: string;
  @Field(() => Int, { description: 'Quantities must be a multiple of this.' })
  orderMultiple: number;
  @Field(() => Int) minOrderQuantity: number;
  @Field(() => Int, { nullable: true }) weightGrams: number | null;
  @Field(() => Int, { nullable: true }) lengthMm: number | null;
  @Field(() => Int, { nullable: true }) widthMm: number | null;
  @Field(() => Int, { nullable: true }) heightMm: number | null;
  @Field(() => Int, { nullable: true }) volumeMl: number | null;
  @Field(() => [AttributeValueType]) attributes: AttributeValueType[];
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
  @Field(() => [MediaType], { description: 'Images and documents, in display order.' })
  media: MediaType[];
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

/**
 * Field middleware for values computed on demand: the parent holds a function, called only when
 * a client selects the field (Nest's own field resolver would hand out the function itself).
 */
const lazyValue: FieldMiddleware = async (_ctx, next) => {
  const value: unknown = await next();
  return typeof value === 'function' ? (value as () => unknown)() : value;
};

@ObjectType('ProductConnection')
export class ProductConnectionType {
  @Field(() => [ProductEdgeType]) edges: ProductEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
  @Field(() => Int) totalCount: number;
  /** A function (see `lazyValue`): a catalog page that does not ask for facets pays nothing for them. */
  @Field(() => [FacetType], {
    middleware: [lazyValue],
    description:
      'Filterable attributes of the whole result set (search, category and the other attribute filters) with counts of products. Computed only when selected.',
  })
  facets: () => Promise<FacetType[]>;
}

@ObjectType('SkuLookup')
export class SkuLookupType {
  @Field() sku: string;
  @Field(() => VariantType, {
    nullable: true,
    description: "Null when unknown or outside this tenant's assortment.",
  })
  variant: VariantType | null;
  @Field(() => SkuMatchEnum, {
    nullable: true,
    description: 'Which article number matched; null when nothing did.',
  })
  matchedBy: SkuMatchEnum | null;
}

export function toProductType(record: ProductRecord): ProductType {
  return {
    id: String(record.id),
    slug: record.slug,
    name: record.name,
    description: record.description,
    manufacturer: record.manufacturer,
    media: record.media.map(toMediaType),
    record,
  };
}

export function toVariantType(record: VariantRecord): VariantType {
  return {
    id: String(record.id),
    sku: record.sku,
    customerSku: record.customerSku,
    gtin: record.gtin,
    mpn: record.mpn,
    name: record.name,
    inStock: record.stockOnHand > 0,
    stockOnHand: record.stockOnHand,
    status: record.status as VariantStatusEnum,
    successorSku: record.successorSku,
    unit: record.unit,
    orderMultiple: record.orderMultiple,
    minOrderQuantity: record.minOrderQuantity,
    weightGrams: record.weightGrams,
    lengthMm: record.lengthMm,
    widthMm: record.widthMm,
    heightMm: record.heightMm,
    volumeMl: record.volumeMl,
    attributes: record.attributes.map((a) => ({ ...a, type: a.type as AttributeTypeEnum })),
    record,
  };
}

export function toFacetType(facet: FacetRecord): FacetType {
  return { ...facet, type: facet.type as AttributeTypeEnum };
}

export function toSkuMatch(kind: SkuMatchKind): SkuMatchEnum {
  return kind as SkuMatchEnum;
}

function toMediaType(m: MediaRecord): MediaType {
  return { kind: m.kind, url: m.url, title: m.title };
}
