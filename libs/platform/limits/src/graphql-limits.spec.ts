import { buildSchema, parse, validate } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { loadConfig } from '@vitrine/config';
import { VitrineError } from '@vitrine/errors';
import { limitValidationRules, listMultiplyingEstimator } from './graphql-limits';

const schema = buildSchema(`
  type Line { sku: String! qty: Int! }
  type Order { number: String! lines(first: Int = 10): [Line!]! }
  type Query { orders(first: Int = 20): [Order!]! lookup(skus: [String!]!): [Line!]! }
`);
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  getComplexity({ schema, query: parse(query), variables, estimators: [listMultiplyingEstimator] });

describe('GraphQL limits', () => {
  it('multiplies the cost of a subtree by `first` (defaults and variables included) and by list arguments', () => {
    // orders: 1 + 5 × (number 1 + lines (1 + 2 × 2)) = 1 + 5 × 6
    expect(cost('{ orders(first: 5) { number lines(first: 2) { sku qty } } }')).toBe(31);
    // Schema defaults count: first 20, lines 10.
    expect(cost('{ orders { lines { sku } } }')).toBe(1 + 20 * (1 + 10 * 1));
    expect(cost('query($n: Int) { orders(first: $n) { number } }', { n: 100 })).toBe(101);
    expect(cost('{ lookup(skus: ["a", "b", "c"]) { sku qty } }')).toBe(7);
  });

  it('reports depth and aliases as QUERY_TOO_COMPLEX with the limit, maximum and count', () => {
    const rules = limitValidationRules({
      maxDepth: 2,
      maxAliases: 1,
      maxCost: 100,
      maxTokens: 1000,
      introspection: false,
    });
    const details = (query: string) =>
      validate(schema, parse(query), rules).map((e) => {
        expect(e.originalError).toBeInstanceOf(VitrineError);
        return (e.originalError as VitrineError).details;
      });
    expect(details('{ orders { lines { sku } } }')).toEqual([
      { limit: 'depth', max: 2, actual: 3 },
    ]);
    expect(details('{ a: orders { number } b: orders { number } }')).toEqual([
      { limit: 'aliases', max: 1, actual: 2 },
    ]);
    expect(details('{ orders { number } }')).toEqual([]);
  });

  it('has sane defaults: introspection off in production, rate limits on except under NODE_ENV=test', () => {
    const prod = loadConfig({ NODE_ENV: 'production' });
    expect(prod.graphql).toMatchObject({
      introspection: false,
      maxDepth: 12,
      maxCost: 10_000,
      maxAliases: 20,
      maxTokens: 3000,
    });
    expect(prod.rateLimit).toEqual({
      windowS: 60,
      perTenant: 30_000,
      perIp: 1800,
      perAccount: 1200,
    });
    expect(prod.hstsMaxAgeS).toBe(15_552_000);
    expect(loadConfig({ NODE_ENV: 'development' }).graphql.introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimit.perIp).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_IP: '5' }).rateLimit.perIp).toBe(5);
  });
});
