import { createHash } from 'node:crypto';
import type { BenchFlags } from './flags';

/** The JSON body of a GraphQL-over-HTTP POST. */
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** e.g. `{ persistedQuery: { version: 1, sha256Hash } }` to register a persisted query. */
  extensions?: Record<string, unknown>;
}

/** What a scenario may use while it prepares, before any load is generated. */
export interface ScenarioContext {
  flags: BenchFlags;
  /**
   * Sends one GraphQL request to the running API with the given Host header and resolves to
   * its `data`; rejects on a non-200 status or a response carrying `errors`.
   */
  graphql(
    host: string,
    request: GraphQLRequest,
    buyer?: { company: string | null },
  ): Promise<unknown>;
  /** The Authorization header of a buyer of a tenant's company (see `Scenario.buyer`). */
  authorization(host: string, companyCode: string | null): Promise<string>;
}

/**
 * One measured request. Every scenario is the same request repeated for the whole duration,
 * so the ceiling server can replay its response byte for byte.
 */
export interface Scenario {
  /** Identifier used by `--scenario` and in the report; kebab-case. */
  name: string;
  /** One line on what the scenario exercises. */
  description: string;
  /** Host header: selects the tenant. Traffic always goes to 127.0.0.1. */
  host: string;
  method: 'GET' | 'POST';
  path: string;
  /** GraphQL body for POST requests. */
  body?: GraphQLRequest;
  /** Extra request headers (content-type is set for bodies already). */
  headers?: Record<string, string>;
  /**
   * Looks up values that depend on the seeded data (a SKU, an id) and returns variables that
   * are merged over `body.variables`. Runs once, before the warm-up request.
   */
  prepare?: (ctx: ScenarioContext) => Promise<Record<string, unknown>>;
  /**
   * Looks up a path that depends on the seeded data (a product's slug) for GET scenarios of
   * microsite pages; runs once, before the warm-up request. Absent: `path`.
   */
  resolvePath?: (ctx: ScenarioContext) => Promise<string>;
  /** Returns why the scenario cannot run with these flags, or null when it can. */
  skipReason?: (flags: BenchFlags) => string | null;
  /**
   * Requests are made as a signed-in buyer of this company (by code; null: a buyer without a
   * company, who gets the tenant's terms). Absent: anonymous.
   */
  buyer?: { company: string | null };
  /** Why the warm-up response does not show what the scenario is meant to measure, or null. */
  check?: (body: string) => string | null;
}

/** Host headers of the demo tenants (see tenants/). */
export const HOSTS = {
  jansenBouw: 'jansen-bouw.localhost',
  publicShop: 'vitrine-shop.localhost',
  /** The first generated tenant; exists when the API was seeded with --tenants >= 1. */
  firstExtraTenant: 'bench-0001.localhost',
} as const;

/** Key-account scenarios are measured as a buyer of the demo company (login-only sites). */
const JANSEN_BUYER = { company: 'jansen-bouw' } as const;

/** Every variant of the page priced, and (optionally) some from the company's contract. */
function pricedPage(contract: 'some' | 'none') {
  return (body: string): string | null => {
    if (body.includes('"price":null')) return 'a variant has no price for this buyer';
    const hasContract = body.includes('"source":"CONTRACT"');
    if (contract === 'some' && !hasContract) return 'no contract price on the page';
    if (contract === 'none' && hasContract) return 'a contract price where none should be';
    return null;
  };
}

/**
 * A microsite page shows a price for every article row: as many `<span class="amount">` as
 * `<td class="sku">` (cards and the product page's variant table), and at least one.
 */
export function pricedHtmlPage(body: string): string | null {
  const rows = body.split('<td class="sku">').length - 1;
  const prices = body.split('<span class="amount"').length - 1;
  if (rows === 0) return 'no article on the page';
  if (prices !== rows) return `${rows - prices} of ${rows} articles without a price`;
  return null;
}

/** Microsite pages are requested as a browser does. */
const HTML_HEADERS = { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' } as const;

/** Slug of the first product of a {@link CATALOG_PAGE_QUERY} result, or null. */
export function firstProductSlug(data: unknown): string | null {
  if (!isRecord(data) || !isRecord(data['products'])) return null;
  const edges = data['products']['edges'];
  if (!Array.isArray(edges)) return null;
  for (const edge of edges)
    if (isRecord(edge) && isRecord(edge['node']) && typeof edge['node']['slug'] === 'string')
      return edge['node']['slug'];
  return null;
}

/** The first page of the catalog as a product listing renders it. */
export const CATALOG_PAGE_QUERY = `query {
  products(first: 20) {
    totalCount
    edges {
      cursor
      node {
        id slug name
        variants {
          sku name
          price(quantity: 1) { unit { amount currency } source }
          listPrice { amount currency }
          inStock
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** A product detail page looked up by one of its SKUs. */
export const PRODUCT_BY_SKU_QUERY = `query($sku: String!) {
  product(sku: $sku) {
    id name description
    variants {
      sku gtin name
      price { unit { amount currency } source taxRate }
      tierPrices { minQuantity unit { amount } }
    }
  }
}`;

/** The tenant settings every page needs before it can render. */
export const TENANT_INFO_QUERY = `{
  tenant { slug name locale locales currency theme { primaryColor logoUrl } publicBrowsing }
}`;

/** A search results page as a listing renders it. */
export const SEARCH_QUERY = `query($search: String) {
  products(first: 20, search: $search) {
    totalCount
    edges { node { id slug name variants { sku name price(quantity: 1) { unit { amount currency } } inStock } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Quick order: many article numbers resolved at once. */
export const LOOKUP_SKUS_QUERY = `query($skus: [String!]!) {
  lookupSkus(skus: $skus) { sku variant { sku name inStock price(quantity: 1) { unit { amount currency } } } }
}`;

/** SKUs of a page of the catalog, to build a lookup list from. */
export const SKU_PAGE_QUERY = `query($after: String) {
  products(first: 100, after: $after) { edges { node { variants { sku } } } pageInfo { endCursor hasNextPage } }
}`;

/** SKUs and the next cursor (null at the end) of a {@link SKU_PAGE_QUERY} result. */
export function skuPage(data: unknown): { skus: string[]; endCursor: string | null } {
  if (!isRecord(data) || !isRecord(data['products'])) return { skus: [], endCursor: null };
  const products = data['products'];
  const skus: string[] = [];
  for (const edge of Array.isArray(products['edges']) ? products['edges'] : []) {
    if (!isRecord(edge) || !isRecord(edge['node'])) continue;
    const variants = edge['node']['variants'];
    for (const v of Array.isArray(variants) ? variants : [])
      if (isRecord(v) && typeof v['sku'] === 'string') skus.push(v['sku']);
  }
  const info = isRecord(products['pageInfo']) ? products['pageInfo'] : {};
  const endCursor =
    info['hasNextPage'] === true && typeof info['endCursor'] === 'string'
      ? info['endCursor']
      : null;
  return { skus, endCursor };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The SKU of the first variant of the first product in a {@link CATALOG_PAGE_QUERY} result's
 * `data`, or null when the page is empty or shaped differently.
 */
export function firstVariantSku(data: unknown): string | null {
  if (!isRecord(data) || !isRecord(data['products'])) return null;
  const edges = data['products']['edges'];
  if (!Array.isArray(edges)) return null;
  for (const edge of edges) {
    if (!isRecord(edge) || !isRecord(edge['node'])) continue;
    const variants = edge['node']['variants'];
    if (!Array.isArray(variants)) continue;
    for (const variant of variants) {
      if (isRecord(variant) && typeof variant['sku'] === 'string') return variant['sku'];
    }
  }
  return null;
}

/**
 * A SKU of jansen-bouw's first catalog page. The seeded data's generator may change: scenarios
 * discover a SKU instead of hard-coding one that might no longer exist.
 */
async function discoverSku(ctx: ScenarioContext): Promise<string> {
  const data = await ctx.graphql(HOSTS.jansenBouw, { query: CATALOG_PAGE_QUERY }, JANSEN_BUYER);
  const sku = firstVariantSku(data);
  if (sku === null) throw new Error('the catalog page returned no variant to take a SKU from');
  return sku;
}

/** The catalog page on bench-0001 as a buyer of one of its two fixture companies (PricingSeeder). */
function contractComparison(
  name: string,
  description: string,
  company: string,
  contract: 'some' | 'none',
): Scenario {
  return {
    name,
    description,
    host: HOSTS.firstExtraTenant,
    method: 'POST',
    path: '/graphql',
    body: { query: CATALOG_PAGE_QUERY },
    buyer: { company },
    check: pricedPage(contract),
    skipReason: (flags) =>
      flags.tenants >= 1 ? null : 'needs --tenants >= 1 (the fixture lives on bench-0001)',
  };
}

/**
 * Every scenario `npm run bench` knows, in the order they run. Add new ones at the end so
 * earlier results stay comparable; see bench/README.md.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'catalog-page',
    description: 'first catalog page (20 products with variants and prices) of a key account',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    check: pricedPage('some'),
    method: 'POST',
    path: '/graphql',
    body: { query: CATALOG_PAGE_QUERY },
  },
  {
    name: 'product-by-sku',
    description: 'product detail by SKU with tier prices (SKU discovered from the catalog)',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    method: 'POST',
    path: '/graphql',
    body: { query: PRODUCT_BY_SKU_QUERY },
    prepare: async (ctx) => ({ sku: await discoverSku(ctx) }),
  },
  {
    name: 'tenant-info',
    description: 'tenant settings and theme of the public shop',
    host: HOSTS.publicShop,
    method: 'POST',
    path: '/graphql',
    body: { query: TENANT_INFO_QUERY },
  },
  {
    name: 'catalog-page-extra-tenant',
    description: 'catalog-page on a generated tenant living next to many others',
    host: HOSTS.firstExtraTenant,
    buyer: { company: 'bench-none' },
    method: 'POST',
    path: '/graphql',
    body: { query: CATALOG_PAGE_QUERY },
    skipReason: (flags) =>
      flags.tenants >= 1 ? null : 'needs --tenants >= 1 (no generated tenant is seeded)',
  },
  {
    name: 'search-fulltext',
    description: 'full-text search in the tenant locale, first 20 results with prices',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    method: 'POST',
    path: '/graphql',
    headers: { 'accept-language': 'nl' },
    body: { query: SEARCH_QUERY, variables: { search: 'verzinkte schroeven' } },
  },
  {
    name: 'search-exact-sku',
    description: 'search by an exact article number (what buyers type most)',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    method: 'POST',
    path: '/graphql',
    body: { query: SEARCH_QUERY },
    prepare: async (ctx) => ({ search: await discoverSku(ctx) }),
  },
  {
    name: 'lookup-skus-200',
    description: 'quick order: lookupSkus with 200 article numbers, with prices',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    method: 'POST',
    path: '/graphql',
    body: { query: LOOKUP_SKUS_QUERY },
    prepare: async (ctx) => {
      const skus: string[] = [];
      let after: string | null = null;
      while (skus.length < 200) {
        const data = await ctx.graphql(
          HOSTS.jansenBouw,
          { query: SKU_PAGE_QUERY, variables: { after } },
          JANSEN_BUYER,
        );
        const page = skuPage(data);
        skus.push(...page.skus);
        if (!page.endCursor) break;
        after = page.endCursor;
      }
      if (skus.length === 0) throw new Error('the tenant has no articles to look up');
      return { skus: skus.slice(0, 200) };
    },
  },
  contractComparison(
    'catalog-page-contract-50k',
    'catalog-page for a company with 50,000 contract prices (compare: -no-contract)',
    'bench-contract',
    'some',
  ),
  contractComparison(
    'catalog-page-no-contract',
    'the same catalog page for a company of the same tenant without contract prices',
    'bench-none',
    'none',
  ),
  {
    name: 'category-page',
    description: 'microsite category page /c/pbm as HTML: 20 products with prices, facets',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    method: 'GET',
    path: '/c/pbm',
    headers: HTML_HEADERS,
    check: pricedHtmlPage,
  },
  {
    name: 'product-page',
    description: 'microsite product page as HTML: variants, attributes, tier prices',
    host: HOSTS.jansenBouw,
    buyer: JANSEN_BUYER,
    method: 'GET',
    path: '/p/',
    headers: HTML_HEADERS,
    check: pricedHtmlPage,
    resolvePath: async (ctx) => {
      const data = await ctx.graphql(HOSTS.jansenBouw, { query: CATALOG_PAGE_QUERY }, JANSEN_BUYER);
      const slug = firstProductSlug(data);
      if (slug === null) throw new Error('the catalog page returned no product to open');
      return `/p/${encodeURIComponent(slug)}`;
    },
  },
  {
    name: 'catalog-page-apq-get',
    description:
      "the public shop's catalog page, anonymous, as a CDN fetches it: GET by persisted-query hash",
    host: HOSTS.publicShop,
    method: 'GET',
    path: persistedQueryPath(CATALOG_PAGE_QUERY).path,
    // Apollo's CSRF prevention wants a header a browser cannot send without a preflight.
    headers: { 'apollo-require-preflight': 'true' },
    check: pricedPage('none'),
    resolvePath: async (ctx) => {
      const { hash, path } = persistedQueryPath(CATALOG_PAGE_QUERY);
      await ctx.graphql(HOSTS.publicShop, {
        query: CATALOG_PAGE_QUERY,
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      });
      return path;
    },
  },
];

/**
 * The path of a GET of a persisted query by its hash alone (what a CDN caches): the query must
 * have been registered first (a POST with the text and the hash).
 */
export function persistedQueryPath(query: string): { hash: string; path: string } {
  const hash = createHash('sha256').update(query).digest('hex');
  const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
  return { hash, path: `/graphql?extensions=${encodeURIComponent(extensions)}` };
}

/**
 * The scenarios to run, in list order: all of them for an empty filter, otherwise the named
 * ones. Unknown names throw, listing the known ones, so a typo does not silently run nothing.
 */
export function selectScenarios(all: readonly Scenario[], names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...all];
  const known = new Set(all.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`,
    );
  }
  return all.filter((s) => names.includes(s.name));
}

/**
 * The exact request body sent for a scenario: its GraphQL body with the prepared variables
 * merged in, serialized once so every request of the run is byte-identical.
 */
export function requestBody(
  scenario: Scenario,
  variables: Record<string, unknown> = {},
): string | undefined {
  if (scenario.body === undefined) return undefined;
  const merged = { ...scenario.body.variables, ...variables };
  const body: GraphQLRequest = { query: scenario.body.query };
  if (Object.keys(merged).length > 0) body.variables = merged;
  return JSON.stringify(body);
}

/** Request headers of a scenario: Host, content-type for bodies, then its own extras. */
export function requestHeaders(scenario: Scenario): Record<string, string> {
  return {
    host: scenario.host,
    ...(scenario.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...scenario.headers,
  };
}

/**
 * Why a warm-up response disqualifies the scenario, or null when it is usable: anything but a
 * 200, or a GraphQL `errors` member (GraphQL reports most failures with a 200).
 */
export function warmupProblem(status: number, body: string): string | null {
  if (status !== 200) return `status ${status}: ${snippet(body)}`;
  if (hasGraphQLErrors(body)) return `response has errors: ${snippet(body)}`;
  return null;
}

/**
 * Whether a response body carries a GraphQL `errors` member. A substring test, not a parse:
 * it runs on every response under load, for the ceiling as much as for the API.
 */
export function hasGraphQLErrors(body: string): boolean {
  return body.includes('"errors"');
}

function snippet(body: string, max = 300): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
