import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLType,
} from 'graphql';
import { CACHEABLE_ROOT_FIELDS, decide, documentId } from './document-policy';

/**
 * Types reachable from the cacheable root fields, each reviewed: every field of them depends
 * only on the tenant (and its version), the viewer's price context, the locale and time. A new
 * type below them fails this test until someone decides whether it may be cached.
 */
const REVIEWED_TYPES = [
  'AttributeFilterInput',
  'AttributeType',
  'AttributeValue',
  'Boolean',
  'Category',
  'Decimal',
  'Facet',
  'FacetValue',
  'Float',
  'ID',
  'Int',
  'Media',
  'Money',
  'PageInfo',
  'Price',
  'PriceSource',
  'Product',
  'ProductConnection',
  'ProductEdge',
  'SkuLookup',
  'SkuMatch',
  'String',
  'Tenant',
  'Theme',
  'TierPrice',
  'Variant',
  'VariantStatus',
];

describe('response cache: which documents may be cached', () => {
  it('caches queries of catalog and tenant fields, through fragments too', () => {
    expect(decide('{ products(first: 20) { totalCount } }', null).cacheable).toBe(true);
    expect(
      decide(
        'query A { ...F } query B { me { id } } fragment F on Query { tenant { name } categories { slug } }',
        'A',
      ).cacheable,
    ).toBe(true);
    expect(decide('{ __typename ... on Query { product(sku: "x") { id } } }', null).cacheable).toBe(
      true,
    );
  });

  it('refuses mutations, user data anywhere at the root, ambiguity and bad documents', () => {
    const refused = [
      ['mutation { logout }', null],
      ['{ products { totalCount } cart { id } }', null],
      ['{ products { totalCount } ... on Query { me { id } } }', null],
      ['query A { ...F } fragment F on Query { orders { totalCount } }', 'A'],
      ['query A { tenant { name } } query B { me { id } }', 'B'],
      ['query A { tenant { name } } query B { tenant { name } }', null],
      ['{ tenant { name } ', null],
      ['{ ...Missing }', null],
      ['{ __schema { types { name } } }', null],
      ['subscription { tenant { name } }', null],
    ] as const;
    for (const [query, op] of refused)
      expect({ query, cacheable: decide(query, op).cacheable }).toEqual({
        query,
        cacheable: false,
      });
  });

  it('identifies a document by the SHA-256 of its text (the persisted-query hash)', () => {
    expect(documentId('{ tenant { name } }')).toMatch(/^[0-9a-f]{64}$/);
    expect(decide('{ tenant { name } }', null).id).toBe(documentId('{ tenant { name } }'));
  });

  it('reaches only reviewed types from the cacheable root fields (schema.graphql)', () => {
    const schema = buildSchema(
      readFileSync(resolve(__dirname, '../../../../../schema.graphql'), 'utf8'),
    );
    const query = schema.getQueryType()!;
    const seen = new Set<string>();
    const visit = (type: GraphQLNamedType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
        for (const field of Object.values(type.getFields())) {
          visit(getNamedType(field.type as GraphQLType));
          for (const arg of 'args' in field ? field.args : [])
            visit(getNamedType(arg.type as GraphQLType));
        }
      if (isUnionType(type)) type.getTypes().forEach(visit);
    };
    for (const name of CACHEABLE_ROOT_FIELDS) {
      if (name.startsWith('__')) continue;
      const field = query.getFields()[name];
      expect({ name, exists: !!field }).toEqual({ name, exists: true });
      visit(getNamedType(field.type));
      for (const arg of field.args) visit(getNamedType(arg.type));
    }
    expect([...seen].sort()).toEqual(REVIEWED_TYPES);
  });
});
