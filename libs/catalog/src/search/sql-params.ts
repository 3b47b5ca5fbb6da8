/**
 * Numbered parameters for one statement. PostgreSQL wants exactly the parameters a statement
 * references, so each statement builds its own list; user input only ever enters SQL through
 * `add`, never as text.
 */
export class SqlParams {
  readonly values: unknown[];

  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }

  /** Appends a value and answers its placeholder (`$4`). */
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }

  /**
   * The statement with only the parameters it references, renumbered: PostgreSQL refuses a
   * bind of parameters a statement does not use, and the common $1..$3 (tenant, locales) are
   * not needed by every statement. Our SQL holds no `$n` other than placeholders.
   */
  statement(sql: string): { sql: string; params: unknown[] } {
    const used = new Set<number>();
    for (const m of sql.matchAll(/\$(\d+)/g)) used.add(Number(m[1]));
    const order = [...used].sort((a, b) => a - b);
    if (order.length === this.values.length) return { sql, params: this.values };
    const renumber = new Map(order.map((n, i) => [n, i + 1]));
    return {
      sql: sql.replace(/\$(\d+)/g, (_, n: string) => `$${renumber.get(Number(n))}`),
      params: order.map((n) => this.values[n - 1]),
    };
  }
}

/** Escapes LIKE metacharacters (with the default escape character `\`) so input matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
