import { normalizeSku, SKU_PATTERN } from './catalog-row';
import type { RowReject } from './import.types';

/** One valid line of a customer-SKU file: the customer's article number → the seller's SKU. */
export interface CustomerSkuRow {
  line: number;
  customerSku: string;
  sku: string;
}

const FIELDS = ['customer_sku', 'sku'];
/** A customer's own article number: printable, no control characters, at most 64. */
const CUSTOMER_SKU_PATTERN = /^[^\p{Cc}]{1,64}$/u;

export function checkCustomerSkuCsvHeader(columns: readonly string[]): string[] {
  const problems = columns
    .filter((c) => !FIELDS.includes(c))
    .map((c) => `unknown column "${c}" (columns: customer_sku, sku)`);
  for (const f of FIELDS) if (!columns.includes(f)) problems.push(`missing column "${f}"`);
  return problems;
}

export type CustomerSkuValidation =
  { ok: true; row: CustomerSkuRow } | { ok: false; rejects: RowReject[] };

/** Validates one record (CSV cells or an NDJSON object). Customer numbers are trimmed and upper-cased. */
export function validateCustomerSkuRow(record: unknown, line: number): CustomerSkuValidation {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return {
      ok: false,
      rejects: [{ line, sku: '', column: '-', reason: 'a line must be a JSON object' }],
    };
  const obj = record as Record<string, unknown>;
  const sku = normalizeSku(obj.sku);
  const customerSku = normalizeSku(obj.customer_sku);
  const rejects: RowReject[] = [];
  const reject = (column: string, reason: string) => rejects.push({ line, sku, column, reason });
  for (const key of Object.keys(obj))
    if (!FIELDS.includes(key)) reject(key, `unknown field "${key}"`);
  if (customerSku === '') reject('customer_sku', 'customer article number is required');
  else if (!CUSTOMER_SKU_PATTERN.test(customerSku))
    reject('customer_sku', 'at most 64 characters, no control characters');
  if (sku === '') reject('sku', 'SKU is required');
  else if (!SKU_PATTERN.test(sku)) reject('sku', `"${sku}" is not a valid SKU`);
  return rejects.length > 0
    ? { ok: false, rejects }
    : { ok: true, row: { line, customerSku, sku } };
}
