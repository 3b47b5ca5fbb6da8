import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { selects } from './selection';

const schema = buildSchema(`
  type Query { products: Connection }
  type Connection { totalCount: Int edges: [Edge] }
  type Edge { node: Product }
  type Product { id: ID variants: [Variant] }
  type Variant { sku: String attributes: [String] }
`);

/** The resolve info `products` receives for a query. */
function infoOf(query: string): GraphQLResolveInfo {
  let captured: GraphQLResolveInfo | undefined;
  void execute({
    schema,
    document: parse(query),
    rootValue: {
      products: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        captured = info;
        return null;
      },
    },
  });
  if (!captured) throw new Error('products was not resolved');
  return captured;
}

describe('selects', () => {
  it('follows a path of plain fields', () => {
    const info = infoOf('{ products { edges { node { id variants { sku } } } } }');
    expect(selects(info, ['edges', 'node', 'variants'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'variants', 'sku'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'variants', 'attributes'])).toBe(false);
    expect(selects(info, ['totalCount'])).toBe(false);
  });

  it('follows named and inline fragments, at any depth, and aliases', () => {
    const info = infoOf(`
      query { products { ...Page } }
      fragment Page on Connection { edges { node { ... on Product { v: variants { ...V } } } } }
      fragment V on Variant { sku attributes }`);
    expect(selects(info, ['edges', 'node', 'variants', 'attributes'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'variants', 'v'])).toBe(false);
  });

  it('merges the same field selected twice', () => {
    const info = infoOf(
      `{ products { edges { node { id } } edges { node { variants { attributes } } } } }`,
    );
    expect(selects(info, ['edges', 'node', 'variants', 'attributes'])).toBe(true);
  });

  it('counts fields under @include/@skip as selected', () => {
    const info = infoOf(`{ products { totalCount @include(if: false) } }`);
    expect(selects(info, ['totalCount'])).toBe(true);
  });

  it('is false for a field without the path', () => {
    expect(selects(infoOf('{ products { totalCount } }'), ['edges', 'node'])).toBe(false);
  });
});
