import { GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

function check(value: unknown): string {
  if (typeof value === 'string' && DECIMAL.test(value)) return value;
  throw new TypeError(`Decimal values are strings like "12.50"; got ${JSON.stringify(value)}.`);
}

/**
 * Money and quantities with decimals, always a string on the wire ("12.50") so no client
 * parses money into a float by accident. Values inside the server are already strings.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'A decimal number serialized as a string, e.g. "12.50". Money is never a float.',
  serialize: check,
  parseValue: check,
  parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined),
});
