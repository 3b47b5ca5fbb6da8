import { createHash } from 'node:crypto';
import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Root Query fields whose whole answer depends only on what the response cache puts in its key:
 * the tenant and its version (catalog, assortment, prices, settings), the viewer's price context
 * (anonymous, or company + country + VAT id + price visibility + roles), the locale, the document
 * and the variables — plus time (price validity, stock), which the entry's TTL bounds.
 *
 * Nothing reachable from them reads the user beyond that: no cart, orders, lists, quotes, `me`.
 * `response-cache-policy.spec.ts` walks the schema from these fields and fails when a type
 * appears below them that is not reviewed (see REVIEWED_TYPES there): adding a field that leads
 * to user-specific data must come with a decision here.
 */
export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'products',
  'product',
  'categories',
  'lookupSkus',
  'tenant',
  '__typename',
]);

/** What the cache knows about one GraphQL document (query text) and operation name. */
export interface DocumentPolicy {
  /** Short, stable id of the query text (hex of its SHA-256), used in cache keys. */
  readonly id: string;
  /** True when the selected operation is a query whose root fields are all cacheable. */
  readonly cacheable: boolean;
  /** Why not, for tests and logs. */
  readonly reason: string | null;
}

/**
 * Decides cacheability of (query text, operation name). Parsing costs far more than a cache hit,
 * so decisions are memoized in a bounded LRU keyed by the text itself.
 */
export class DocumentPolicies {
  private readonly memo = new LRUCache<string, DocumentPolicy>({ max: 2_000 });

  of(query: string, operationName: string | null): DocumentPolicy {
    const memoKey = operationName === null ? query : `${operationName}\u0000${query}`;
    let policy = this.memo.get(memoKey);
    if (!policy) {
      policy = decide(query, operationName);
      this.memo.set(memoKey, policy);
    }
    return policy;
  }
}

export function documentId(query: string): string {
  return createHash('sha256').update(query).digest('hex');
}

export function decide(query: string, operationName: string | null): DocumentPolicy {
  const id = documentId(query);
  let doc: DocumentNode;
  try {
    doc = parse(query, { noLocation: true });
  } catch {
    // Apollo answers the syntax error; nothing to cache.
    return { id, cacheable: false, reason: 'syntax error' };
  }
  const operations = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operationName === null
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === operationName);
  if (!operation) return { id, cacheable: false, reason: 'no single operation selected' };
  if (operation.operation !== 'query')
    return { id, cacheable: false, reason: `${operation.operation}s are never cached` };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const roots = new Set<string>();
  if (!collectRootFields(operation.selectionSet, fragments, roots, new Set()))
    return { id, cacheable: false, reason: 'unknown fragment' };
  for (const field of roots)
    if (!CACHEABLE_ROOT_FIELDS.has(field))
      return { id, cacheable: false, reason: `root field ${field} is not cacheable` };
  if (roots.size === 0) return { id, cacheable: false, reason: 'no field' };
  return { id, cacheable: true, reason: null };
}

/**
 * Every root field name the operation can select, through fragments and inline fragments,
 * whatever @include/@skip say (conservative: a field that might run counts).
 */
function collectRootFields(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  out: Set<string>,
  seen: Set<string>,
): boolean {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.add(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!collectRootFields(sel.selectionSet, fragments, out, seen)) return false;
    } else {
      const name = sel.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const fragment = fragments.get(name);
      if (!fragment || !collectRootFields(fragment.selectionSet, fragments, out, seen))
        return false;
    }
  }
  return true;
}
