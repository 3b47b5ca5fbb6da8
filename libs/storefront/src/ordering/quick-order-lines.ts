import { parse } from 'csv-parse/sync';
import { VitrineError, type MessageParams } from '@vitrine/errors';

/** Uploads larger than this are refused (413) before anything is read into the cart. */
export const QUICK_ORDER_MAX_BYTES = 5_000_000;

/** A line of a quick order, with its line number in what was pasted or uploaded. */
export interface QuickOrderLine {
  line: number;
  sku: string;
  quantity: number;
}

/** A line that cannot even be asked of the cart (no article number, no whole quantity). */
export interface UnreadableLine {
  line: number;
  text: string;
  reason: string;
  /** The reason by key, for the page's language (see site/domain-messages.ts). */
  key: string;
  params: MessageParams;
}

/** An uploaded file as the multipart hook keeps it (see bootstrap.ts). */
export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

/**
 * Content types browsers and spreadsheet programs give CSV files: `text/csv`, Excel's
 * `application/vnd.ms-excel` on Windows, plain text, tab-separated exports. A generic
 * `application/octet-stream` counts only with a .csv/.txt/.tsv name. The content decides too:
 * see {@link readUpload}.
 */
const CSV_TYPES = new Set([
  'text/csv',
  'text/plain',
  'application/csv',
  'text/comma-separated-values',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
]);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Control characters no text file has (NUL, …); tab, CR and LF are fine. */
function hasBinaryBytes(data: Buffer): boolean {
  for (const byte of data)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return true;
  return false;
}

/**
 * The text of an uploaded CSV file, or UNSUPPORTED_MEDIA_TYPE (415) when it is not one — by its
 * content type, and by its content: UTF-8 text without binary bytes that csv-parse can read.
 */
export function readUpload(file: UploadedFile): string {
  const type = file.mimetype.split(';', 1)[0].trim().toLowerCase();
  const byName = /\.(csv|txt|tsv)$/i.test(file.filename);
  if (!CSV_TYPES.has(type) && !(type === 'application/octet-stream' && byName))
    throw notCsv(`${file.filename || 'The file'} is ${type || 'of no type'}, not a CSV file.`);
  let text: string;
  try {
    text = strictUtf8.decode(file.data);
  } catch {
    throw notCsv(
      `${file.filename || 'The file'} is not UTF-8 text; save it as “CSV UTF-8” and try again.`,
    );
  }
  if (hasBinaryBytes(file.data)) throw notCsv(`${file.filename || 'The file'} is not a text file.`);
  try {
    parseRecords(text);
  } catch (err) {
    throw notCsv(`${file.filename || 'The file'} cannot be read as CSV: ${(err as Error).message}`);
  }
  return text;
}

function notCsv(message: string): VitrineError {
  return new VitrineError('UNSUPPORTED_MEDIA_TYPE', message);
}

/** Records of `SKU;quantity` text: semicolon, tab or comma separated, as spreadsheets copy them. */
function parseRecords(text: string): Array<{ record: string[]; info: { lines: number } }> {
  // One line ending: pasted text mixes \n and \r\n (spreadsheet + editor), which would shift the
  // line numbers the page reports.
  return parse(text.replace(/\r\n?/g, '\n'), {
    delimiter: [';', '\t', ','],
    bom: true,
    info: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
}

/**
 * The lines of a quick order: article number in the first column, quantity in the second
 * (empty means 1). A first line of words only (“SKU;Quantity”) is a header and skipped. Lines
 * without an article number or a whole quantity are returned as unreadable, with the reason;
 * whether an article may be ordered in that quantity is the cart's to say.
 */
export function parseQuickOrder(text: string): {
  lines: QuickOrderLine[];
  unreadable: UnreadableLine[];
} {
  let records: ReturnType<typeof parseRecords>;
  try {
    records = parseRecords(text);
  } catch (err) {
    throw VitrineError.badInput(`The lines cannot be read: ${(err as Error).message}`);
  }
  const lines: QuickOrderLine[] = [];
  const unreadable: UnreadableLine[] = [];
  records.forEach(({ record, info }, index) => {
    const [sku = '', quantityText = ''] = record;
    if (
      index === 0 &&
      /^\p{L}[\p{L} ._-]*$/u.test(sku) &&
      /^\p{L}[\p{L} ._-]*$/u.test(quantityText)
    )
      return;
    const text = record.join(';');
    if (!sku) {
      if (record.some((cell) => cell !== ''))
        unreadable.push({
          line: info.lines,
          text,
          reason: 'No article number in the first column.',
          key: 'quick.noSku',
          params: {},
        });
      return;
    }
    const quantity =
      quantityText === '' ? 1 : /^\d{1,9}$/.test(quantityText) ? Number(quantityText) : NaN;
    if (!Number.isInteger(quantity) || quantity < 1)
      unreadable.push({
        line: info.lines,
        text,
        reason: `The quantity “${quantityText}” is not a whole number of at least 1.`,
        key: 'quick.badQuantity',
        params: { value: quantityText },
      });
    else lines.push({ line: info.lines, sku, quantity });
  });
  return { lines, unreadable };
}
