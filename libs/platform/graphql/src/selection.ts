import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * Whether the query selects `path` below the field being resolved, e.g.
 * `selects(info, ['edges', 'node', 'variants'])` in `products`. Follows fragment spreads and
 * inline fragments; a field under `@include`/`@skip` counts as selected (the answer is used to
 * fetch more in advance, never to fetch less than a resolver will need).
 */
export function selects(info: SelectionInfo, path: readonly string[]): boolean {
  if (path.length === 0) return true;
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((f) =>
    f.selectionSet ? [f.selectionSet] : [],
  );
  for (const name of path.slice(0, -1)) {
    const next: SelectionSetNode[] = [];
    for (const set of sets) collect(info, set, name, next, new Set());
    if (next.length === 0) return false;
    sets = next;
  }
  return hasField(info, sets, path[path.length - 1]);
}

/** The selection sets of the fields called `name` in `set` (through fragments). */
function collect(
  info: SelectionInfo,
  set: SelectionSetNode,
  name: string,
  out: SelectionSetNode[],
  seen: Set<string>,
): void {
  for (const sel of set.selections) {
    if (sel.kind === 'Field') {
      if (sel.name.value === name && sel.selectionSet) out.push(sel.selectionSet);
    } else if (sel.kind === 'InlineFragment') {
      collect(info, sel.selectionSet, name, out, seen);
    } else {
      const fragment = info.fragments[sel.name.value];
      if (fragment && !seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        collect(info, fragment.selectionSet, name, out, seen);
      }
    }
  }
}

function hasField(info: SelectionInfo, sets: SelectionSetNode[], name: string): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((sel) => {
      if (sel.kind === 'Field') return sel.name.value === name;
      if (sel.kind === 'InlineFragment') return visit(sel.selectionSet);
      const fragment = info.fragments[sel.name.value];
      if (!fragment || seen.has(sel.name.value)) return false;
      seen.add(sel.name.value);
      return visit(fragment.selectionSet);
    });
  return sets.some(visit);
}
