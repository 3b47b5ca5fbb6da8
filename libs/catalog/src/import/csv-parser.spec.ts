import { CsvParser, type CsvItem } from './csv-parser';

/** Parses `text` fed in chunks of `size` characters (all at once when omitted). */
function parse(text: string, size = text.length || 1, delimiter = ','): CsvItem[] {
  const parser = new CsvParser(delimiter);
  const out: CsvItem[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
  out.push(...parser.end());
  return out;
}

const SAMPLE = [
  '\uFEFFsku,name,price',
  'A-1,Schroef,1.00',
  '',
  'A-2,"Schroef, verzinkt",2.00',
  'A-3,"Bout ""M8""",3.00',
  'A-4,"twee',
  'regels",4.00',
  'A-5,,',
  '"A-6",x,"6.00"',
  'A-7,"",7.00',
].join('\r\n');

describe('CsvParser', () => {
  it('splits plain lines, quoted cells, doubled quotes and quoted line breaks', () => {
    expect(parse(SAMPLE)).toEqual([
      { line: 1, cells: ['sku', 'name', 'price'] },
      { line: 2, cells: ['A-1', 'Schroef', '1.00'] },
      { line: 4, cells: ['A-2', 'Schroef, verzinkt', '2.00'] },
      { line: 5, cells: ['A-3', 'Bout "M8"', '3.00'] },
      { line: 7, cells: ['A-4', 'twee\r\nregels', '4.00'] },
      { line: 8, cells: ['A-5', '', ''] },
      { line: 9, cells: ['A-6', 'x', '6.00'] },
      { line: 10, cells: ['A-7', '', '7.00'] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = parse(SAMPLE);
    for (const size of [1, 2, 3, 5, 7, 11, 64]) expect(parse(SAMPLE, size)).toEqual(whole);
    // A delimiter of two characters, also when a chunk ends between them.
    const semi = SAMPLE.replace(/,/g, ';;');
    const expected = whole.map((i) =>
      'cells' in i ? { ...i, cells: i.cells.map((c) => c.replace(/,/g, ';;')) } : i,
    );
    for (const size of [1, 3, 1000]) expect(parse(semi, size, ';;')).toEqual(expected);
  });

  it('reads back what an RFC 4180 writer wrote (random records, random chunks)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'B', '7', ' ', ',', '"', '\n', '\r\n', 'é', ';'];
    for (let round = 0; round < 50; round++) {
      const records: string[][] = [];
      for (let r = 0; r < 20; r++) {
        const cells: string[] = [];
        for (let c = 0; c < 4; c++) {
          let cell = '';
          for (let k = random(6); k > 0; k--) cell += alphabet[random(alphabet.length)];
          cells.push(cell);
        }
        // A record of one empty cell is an empty line, which CSV cannot tell from none.
        if (cells.join('') !== '') records.push(cells);
      }
      const text = records
        .map((cells) =>
          cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
        )
        .join(random(2) ? '\n' : '\r\n');
      const items = parse(text, 1 + random(40));
      expect(items.map((i) => ('cells' in i ? i.cells : i.error))).toEqual(records);
    }
  });

  it('reports a malformed record as its error and goes on', () => {
    const text = ['a,b', 'x"y,1', '"q"z,2', 'ok,3', '"open,4'].join('\n');
    for (const size of [1, 4, 100]) {
      const items = parse(text, size);
      expect(
        items.map((i) => ('error' in i ? `${i.line} error` : `${i.line} ${i.cells.join('|')}`)),
      ).toEqual(['1 a|b', '2 error', '3 error', '4 ok|3', '5 error']);
      expect(items[1]).toMatchObject({ error: expect.stringMatching(/^Invalid Opening Quote/) });
      expect(items[2]).toMatchObject({ error: expect.stringMatching(/^Invalid Closing Quote/) });
      expect(items[4]).toMatchObject({ error: expect.stringMatching(/^Quote Not Closed/) });
    }
  });

  it('takes a last line without a line break, and refuses impossible delimiters', () => {
    expect(parse('a,b\n1,2')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
    expect(parse('a\n"1"')).toEqual([
      { line: 1, cells: ['a'] },
      { line: 2, cells: ['1'] },
    ]);
    expect(() => new CsvParser('"')).toThrow(RangeError);
    expect(() => new CsvParser('')).toThrow(RangeError);
  });
});
