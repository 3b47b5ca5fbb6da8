/**
 * The keys seen so far in an import file, to reject a second row with the same key, in about
 * 12 bytes per key instead of a string each (a million contract prices would otherwise hold
 * ~100 MB of key strings).
 *
 * A key is kept as a 64-bit hash (two independent 32-bit halves) in an open-addressing table,
 * with the line it was first seen on. Two different keys share a hash with a probability of
 * about n² / 2⁶⁵ — 3 in 100 million for a million rows — in which case the later row would be
 * reported as a duplicate of the earlier one.
 */
export class KeyIndex {
  private hi: Int32Array;
  private lo: Int32Array;
  private lines: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 14) {
    const n = 2 ** Math.ceil(Math.log2(Math.max(16, capacity)));
    this.hi = new Int32Array(n);
    this.lo = new Int32Array(n);
    this.lines = new Uint32Array(n);
    this.mask = n - 1;
  }

  /** Adds `key` (first seen on `line`, ≥ 1) and returns 0, or returns the line it was first seen on. */
  addOrGet(key: string, line: number): number {
    if (line < 1) throw new RangeError('lines start at 1');
    const [h1, h2] = hash64(key);
    let i = h1 & this.mask;
    for (;;) {
      const seen = this.lines[i];
      if (seen === 0) break;
      if (this.hi[i] === h1 && this.lo[i] === h2) return seen;
      i = (i + 1) & this.mask;
    }
    this.hi[i] = h1;
    this.lo[i] = h2;
    this.lines[i] = line;
    this.size++;
    if (this.size * 2 > this.mask + 1) this.grow();
    return 0;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const n = (this.mask + 1) * 2;
    this.hi = new Int32Array(n);
    this.lo = new Int32Array(n);
    this.lines = new Uint32Array(n);
    this.mask = n - 1;
    for (let j = 0; j < lines.length; j++) {
      if (lines[j] === 0) continue;
      let i = hi[j] & this.mask;
      while (this.lines[i] !== 0) i = (i + 1) & this.mask;
      this.hi[i] = hi[j];
      this.lo[i] = lo[j];
      this.lines[i] = lines[j];
    }
  }
}

/** Two 32-bit hashes of a string (the two lanes of cyrb53, each kept whole). */
export function hash64(s: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 | 0, h2 | 0];
}
