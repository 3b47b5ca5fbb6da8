import { GraphQLSchema } from 'graphql';

/**
 * The schema with only the types its operations reach. @nestjs/graphql adds every type declared
 * without `registerIn` to every schema of the process (the storefront's Product, Cart, ... would
 * show up in the admin schema); rebuilding from the root types drops them.
 */
export function reachableOnly(schema: GraphQLSchema): GraphQLSchema {
  return new GraphQLSchema({
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
    directives: schema.getDirectives(),
    description: schema.description,
  });
}
