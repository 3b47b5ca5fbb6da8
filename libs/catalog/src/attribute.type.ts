import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AttributeTypeEnum {
  TEXT = 'TEXT',
  NUMBER = 'NUMBER',
  ENUM = 'ENUM',
}
registerEnumType(AttributeTypeEnum, {
  name: 'AttributeType',
  description: 'TEXT: free text; NUMBER: a number, with `unit`; ENUM: one of a fixed list.',
});

@ObjectType('AttributeValue', {
  description: 'A typed attribute of a variant (material, length, thread…).',
})
export class AttributeValueType {
  @Field() code: string;
  @Field({ description: "The attribute's name in the request locale." }) name: string;
  @Field(() => AttributeTypeEnum) type: AttributeTypeEnum;
  @Field(() => String, { nullable: true, description: 'Unit of a NUMBER attribute, e.g. "mm".' })
  unit: string | null;
  @Field({ description: 'The value as text (numbers as decimals, e.g. "4.5").' }) value: string;
  @Field(() => Float, { nullable: true, description: 'NUMBER attributes: the value as a number.' })
  numberValue: number | null;
}

@InputType('AttributeFilterInput', {
  description:
    'Products with a variant whose attribute `code` has one of `values` (TEXT/ENUM, or exact numbers) or lies within `min`..`max` (NUMBER, inclusive).',
})
export class AttributeFilterInput {
  @Field() code: string;
  @Field(() => [String], { nullable: true }) values?: string[] | null;
  @Field(() => Float, { nullable: true }) min?: number | null;
  @Field(() => Float, { nullable: true }) max?: number | null;
}

@ObjectType('FacetValue')
export class FacetValueType {
  @Field() value: string;
  @Field(() => Int, {
    description:
      "Products of the current result set with this value (counting every filter except this facet's own).",
  })
  count: number;
}

@ObjectType('Facet', {
  description:
    'Values of a filterable attribute over the current result set, most frequent first (at most 50).',
})
export class FacetType {
  @Field() code: string;
  @Field({ description: "The attribute's name in the request locale." }) name: string;
  @Field(() => AttributeTypeEnum) type: AttributeTypeEnum;
  @Field(() => String, { nullable: true }) unit: string | null;
  @Field(() => [FacetValueType]) values: FacetValueType[];
  @Field(() => Float, {
    nullable: true,
    description: 'NUMBER facets: the smallest value in the result set.',
  })
  min: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'NUMBER facets: the largest value in the result set.',
  })
  max: number | null;
}
