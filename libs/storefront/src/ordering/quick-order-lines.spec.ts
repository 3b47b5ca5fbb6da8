import { VitrineError } from '@vitrine/errors';
import { parseQuickOrder, readUpload } from './quick-order-lines';

describe('parseQuickOrder', () => {
  it('reads semicolon, tab and comma separated lines, a header of words, and an empty quantity as 1', () => {
    const { lines, unreadable } = parseQuickOrder(
      'Artikelnummer;Aantal\nSKU-1;2\nSKU-2\t3\r\nSKU-3,4\n\nSKU-4\n',
    );
    expect(lines).toEqual([
      { line: 2, sku: 'SKU-1', quantity: 2 },
      { line: 3, sku: 'SKU-2', quantity: 3 },
      { line: 4, sku: 'SKU-3', quantity: 4 },
      { line: 6, sku: 'SKU-4', quantity: 1 },
    ]);
    expect(unreadable).toEqual([]);
  });

  it('keeps a first line that is an article, and reports lines without an article or a whole quantity', () => {
    const { lines, unreadable } = parseQuickOrder('SKU-1;1\n;5\nSKU-2;-1\nSKU-3;1.5\nSKU-4;abc');
    expect(lines).toEqual([{ line: 1, sku: 'SKU-1', quantity: 1 }]);
    expect(unreadable.map((u) => [u.line, u.text])).toEqual([
      [2, ';5'],
      [3, 'SKU-2;-1'],
      [4, 'SKU-3;1.5'],
      [5, 'SKU-4;abc'],
    ]);
  });

  it('refuses text it cannot read as CSV (BAD_USER_INPUT)', () => {
    expect(() => parseQuickOrder('"SKU-1;1\n')).toThrow(VitrineError);
  });
});

describe('readUpload', () => {
  const file = (mimetype: string, data: Buffer | string, filename = 'order.csv') => ({
    filename,
    mimetype,
    data: Buffer.isBuffer(data) ? data : Buffer.from(data),
  });
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return (err as VitrineError).code;
    }
    return null;
  };

  it('accepts CSV by the types browsers and Excel send, and octet-stream only with a CSV name', () => {
    for (const type of ['text/csv', 'text/plain; charset=utf-8', 'application/vnd.ms-excel'])
      expect(readUpload(file(type, 'SKU-1;1\n'))).toBe('SKU-1;1\n');
    expect(readUpload(file('application/octet-stream', 'SKU-1;1', 'x.csv'))).toBe('SKU-1;1');
    expect(code(() => readUpload(file('application/octet-stream', 'SKU-1;1', 'x.bin')))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses other types, binary content, non-UTF-8 text and broken CSV (415)', () => {
    expect(code(() => readUpload(file('image/png', 'SKU-1;1')))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(code(() => readUpload(file('text/csv', Buffer.from([0x53, 0, 0x3b, 0x31]))))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(code(() => readUpload(file('text/csv', Buffer.from([0x53, 0xe9, 0x3b, 0x31]))))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(code(() => readUpload(file('text/csv', '"SKU-1;1\n')))).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
