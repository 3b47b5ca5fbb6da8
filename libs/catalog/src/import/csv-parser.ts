/**
 * A streaming CSV parser (RFC 4180) for the import files, fed chunk by chunk.
 *
 * Lines without a quote — nearly all lines of an ERP export — are split on the delimiter
 * directly; a line with a quote goes through a character loop that handles quoted cells with
 * delimiters, doubled quotes and line breaks. A malformed record (a stray or unclosed quote)
 * becomes that record's error and parsing goes on with the next line. Empty lines are skipped.
 * Line numbers count physical lines from 1; a record spanning lines is numbered by its last.
 */
export type CsvItem = { line: number; cells: string[] } | { line: number; error: string };

const QUOTE = 34;
const CR = 13;
const LF = 10;

export class CsvParser {
  private rest = '';
  private line = 0;
  private started = false;

  constructor(private readonly delimiter = ',') {
    if (delimiter === '' || /["\r\n]/.test(delimiter))
      throw new RangeError(`${JSON.stringify(delimiter)} cannot be a CSV delimiter`);
  }

  /** The records completed by this chunk. */
  push(chunk: string): CsvItem[] {
    let text = this.rest === '' ? chunk : this.rest + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: CsvItem[] = [];
    this.rest = text.slice(this.parse(text, out, false));
    return out;
  }

  /** The last record (a file need not end with a line break). */
  end(): CsvItem[] {
    const out: CsvItem[] = [];
    this.parse(this.rest, out, true);
    this.rest = '';
    return out;
  }

  /** Parses the complete records of `text` into `out`; returns where the unparsed rest begins. */
  private parse(text: string, out: CsvItem[], final: boolean): number {
    const n = text.length;
    const d = this.delimiter;
    let pos = 0;
    // The next quote at or after pos: looked up once per quote, not once per line.
    let quote = text.indexOf('"');
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) return pos;
        nl = n;
      }
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      if (quote === -1 || quote > nl) {
        const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.line++;
        if (end > pos) out.push({ line: this.line, cells: text.slice(pos, end).split(d) });
        pos = nl + 1;
        continue;
      }
      const next = this.quoted(text, pos, final, out);
      if (next === -1) return pos;
      pos = next;
    }
    return pos;
  }

  /**
   * One record that has a quote, starting at `start`; returns where the next record begins, or
   * -1 when the record is not complete in `text` yet.
   */
  private quoted(text: string, start: number, final: boolean, out: CsvItem[]): number {
    const n = text.length;
    const d = this.delimiter;
    const cells: string[] = [];
    let lines = 0;
    let i = start;
    const fail = (at: number, reason: (line: number) => string): number => {
      // Skip the rest of the physical line the problem is on.
      let nl = text.indexOf('\n', at);
      if (nl === -1) {
        if (!final) return -1;
        nl = n;
      }
      this.line += 1 + countLines(text, start, nl);
      out.push({ line: this.line, error: reason(this.line) });
      return nl + 1;
    };
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const k = text.indexOf('"', j);
          if (k === -1 || (k + 1 === n && !final)) {
            if (!final) return -1;
            const opened = this.line + 1 + countLines(text, start, i);
            this.line += 1 + countLines(text, start, n);
            out.push({
              line: opened,
              error: `Quote Not Closed: the parsing is finished with an opening quote at line ${opened}`,
            });
            return n;
          }
          value += text.slice(j, k);
          if (text.charCodeAt(k + 1) === QUOTE) {
            value += '"';
            j = k + 2;
            continue;
          }
          lines += countLines(text, i, k);
          i = k + 1;
          break;
        }
        cells.push(value);
        if (text.startsWith(d, i)) {
          i += d.length;
          continue;
        }
        // The buffer may end inside a (multi-character) delimiter or between CR and LF.
        if (!final && n - i < Math.max(d.length, 2)) {
          const tail = text.slice(i);
          if (tail === '\r' || d.startsWith(tail)) return -1;
        }
        const c = text.charCodeAt(i);
        if (i >= n || c === LF || (c === CR && text.charCodeAt(i + 1) === LF)) {
          if (i >= n && !final) return -1;
          this.line += lines + 1;
          out.push({ line: this.line, cells });
          return i >= n ? n : c === CR ? i + 2 : i + 1;
        }
        const got = text[i];
        return fail(
          i,
          (line) =>
            `Invalid Closing Quote: got "${got}" at line ${line} instead of a delimiter or the end of the line`,
        );
      }
      // An unquoted cell: up to the next delimiter or the end of the line.
      let nl = text.indexOf('\n', i);
      if (nl === -1) {
        if (!final) return -1;
        nl = n;
      }
      const del = text.indexOf(d, i);
      const end = del !== -1 && del < nl ? del : nl;
      const cellEnd = end === nl && end > i && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      const cell = text.slice(i, cellEnd);
      if (cell.includes('"')) {
        const field = cells.length + 1;
        return fail(
          i,
          (line) =>
            `Invalid Opening Quote: a quote is found in field ${field} at line ${line}, value is ${JSON.stringify(cell)}`,
        );
      }
      cells.push(cell);
      if (end === del && del < nl) {
        i = del + d.length;
        continue;
      }
      this.line += lines + 1;
      out.push({ line: this.line, cells });
      return nl + 1;
    }
  }
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) lines++;
  return lines;
}
