import { normalizeSku, SKU_PATTERN, type RowReject } from '@vitrine/catalog';
import { currencyExponent, parseDecimal } from '../money';
import { formatPeriod, parsePeriod, type Period } from './validity';

/**
 * Price rows: from a CSV record or an NDJSON object to one validated `PriceRow`. Pure: what the
 * database knows (tenants, price lists) comes in as a `PriceDictionary`; what only a batch
 * query can tell (SKUs, company codes, overlapping periods) is checked when the batch is
 * written. The field mapping is documented in docs/import.md ("Prices"); keep both in step.
 */

export const PRICE_TYPES = ['list', 'price_list', 'contract'] as const;
export type PriceType = (typeof PRICE_TYPES)[number];

/** The columns of a price file (CSV header = NDJSON field names). */
export const PRICE_FIELDS = [
  'type',
  'sku',
  'amount',
  'currency',
  'min_quantity',
  'price_list',
  'tenant',
  'company',
  'valid_from',
  'valid_until',
] as const;
type PriceField = (typeof PRICE_FIELDS)[number];
const REQUIRED_COLUMNS: readonly PriceField[] = ['type', 'sku', 'amount'];

/** Fields a type does not have: giving one is a mistake, not something to ignore. */
const NOT_FOR: Record<PriceType, readonly PriceField[]> = {
  list: ['min_quantity', 'price_list', 'tenant', 'company', 'valid_from', 'valid_until'],
  price_list: ['tenant', 'company'],
  contract: ['price_list'],
};

/** A valid row. Amounts in minor units of `currency`; validity as epoch ms, ±Infinity when open. */
export interface PriceRow extends Period {
  line: number;
  type: PriceType;
  sku: string;
  amountMinor: number;
  currency: string;
  minQuantity: number;
  /** Price-list code (price_list rows). */
  priceList: string | null;
  /** Tenant id (contract rows). */
  tenantId: string | null;
  /** Company code within the tenant (contract rows). */
  company: string | null;
  /** The zone a date of this row is read in (for messages). */
  zone: string;
}

export interface TenantInfo {
  id: string;
  slug: string;
  currency: string;
  timeZone: string;
}

export interface PriceListInfo {
  currency: string;
  /** Slug and currency of each tenant that uses the list. */
  tenants: ReadonlyArray<{ slug: string; currency: string }>;
}

/** What validation needs to know about the database, loaded once per import. */
export interface PriceDictionary {
  /** slug → tenant */
  tenants: ReadonlyMap<string, TenantInfo>;
  /** code → list; includes lists an earlier row of the file creates. */
  priceLists: ReadonlyMap<string, PriceListInfo>;
  /** Zone in which price-list dates begin (INSTALLATION_TIME_ZONE). */
  installationTimeZone: string;
}

export type PriceRowValidation =
  { ok: true; row: PriceRow; newList: boolean } | { ok: false; rejects: RowReject[] };

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const COMPANY_CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const PRICE_LIST_CODE = /^[^\p{Cc}]{1,100}$/u;
const MAX_INT = 2_147_483_647;

/** Whether `code` (upper case) is an ISO 4217 currency code. */
export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Why `code` cannot be a price list's code, or null when it can. */
export function priceListCodeProblem(code: string): string | null {
  return PRICE_LIST_CODE.test(code) ? null : 'at most 100 characters, no control characters';
}

/** Header problems of a price CSV file: unknown columns would silently drop data. */
export function checkPriceCsvHeader(columns: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) problems.push(`column "${c}" appears twice`);
    seen.add(c);
    if (!(PRICE_FIELDS as readonly string[]).includes(c))
      problems.push(`unknown column "${c}" (columns: ${PRICE_FIELDS.join(', ')})`);
  }
  for (const c of REQUIRED_COLUMNS) if (!seen.has(c)) problems.push(`missing column "${c}"`);
  return problems;
}

/** The row's value of a field as trimmed text; undefined when absent or empty; null when not text. */
function cell(obj: Record<string, unknown>, field: string): string | undefined | null {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? undefined : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/**
 * Validates one record completely (every problem is reported, not only the first). A price
 * list the dictionary does not know is accepted as new (`newList`): the writer creates it with
 * the row's currency and its code as name.
 */
export function validatePriceRow(
  record: unknown,
  line: number,
  dict: PriceDictionary,
): PriceRowValidation {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return {
      ok: false,
      rejects: [{ line, sku: '', column: '-', reason: 'a line must be a JSON object' }],
    };
  const obj = record as Record<string, unknown>;
  const sku = normalizeSku(obj.sku);
  const rejects: RowReject[] = [];
  const reject = (column: string, reason: string) => rejects.push({ line, sku, column, reason });
  const badType = new Set<string>();
  const text = (field: PriceField): string | undefined => {
    const v = cell(obj, field);
    if (v === null) {
      reject(field, 'must be text or a number');
      badType.add(field);
      return undefined;
    }
    return v;
  };

  for (const key of Object.keys(obj))
    if (!(PRICE_FIELDS as readonly string[]).includes(key)) reject(key, `unknown field "${key}"`);

  const typeText = text('type');
  let type: PriceType | null = null;
  if (typeText === undefined) reject('type', `type is required (${PRICE_TYPES.join(', ')})`);
  else {
    type = PRICE_TYPES.find((t) => t === typeText.toLowerCase()) ?? null;
    if (!type) reject('type', `"${typeText}" is not a price type (${PRICE_TYPES.join(', ')})`);
  }

  if (sku === '') reject('sku', 'SKU is required');
  else if (!SKU_PATTERN.test(sku)) reject('sku', `"${sku}" is not a valid SKU`);

  const values = {} as Record<PriceField, string | undefined>;
  for (const f of PRICE_FIELDS) if (f !== 'type' && f !== 'sku') values[f] = text(f);
  if (type)
    for (const f of NOT_FOR[type])
      if (values[f] !== undefined) reject(f, `not allowed for type ${type}`);

  // Who the price is for: a tenant's company, a price list, or everyone (list price).
  let tenant: TenantInfo | undefined;
  let company: string | null = null;
  let priceList: string | null = null;
  let list: PriceListInfo | undefined;
  if (type === 'contract') {
    const slug = values.tenant?.toLowerCase();
    if (slug === undefined) reject('tenant', 'tenant is required for contract prices');
    else {
      tenant = dict.tenants.get(slug);
      if (!tenant) reject('tenant', `unknown tenant "${slug}"`);
    }
    if (values.company === undefined) reject('company', 'company is required for contract prices');
    else if (!COMPANY_CODE.test(values.company))
      reject('company', `"${values.company}" is not a company code`);
    else company = values.company;
  } else if (type === 'price_list') {
    if (values.price_list === undefined)
      reject('price_list', 'price_list is required for price-list prices');
    else if (priceListCodeProblem(values.price_list))
      reject('price_list', priceListCodeProblem(values.price_list)!);
    else {
      priceList = values.price_list;
      list = dict.priceLists.get(priceList);
    }
  }

  // Currency: the tenant's for contracts, the list's for price lists, else EUR.
  const given = values.currency?.toUpperCase();
  let currency: string | null = given ?? tenant?.currency ?? list?.currency ?? 'EUR';
  if (given !== undefined && !isCurrencyCode(given)) {
    reject('currency', `"${values.currency}" is not an ISO 4217 currency code`);
    currency = null;
  } else if (given !== undefined && tenant && given !== tenant.currency) {
    reject('currency', `tenant ${tenant.slug} sells in ${tenant.currency}, not ${given}`);
    currency = null;
  } else if (given !== undefined && list && given !== list.currency) {
    reject('currency', `price list "${priceList}" is in ${list.currency}, not ${given}`);
    currency = null;
  }
  if (list) {
    const others = list.tenants.filter((t) => t.currency !== list!.currency);
    if (others.length > 0)
      reject(
        'price_list',
        `price list "${priceList}" is in ${list.currency} but used by ${others
          .map((t) => `${t.slug} (${t.currency})`)
          .join(', ')}; a tenant's price lists must be in its currency`,
      );
  }

  let amountMinor = 0;
  if (values.amount === undefined) {
    if (!badType.has('amount')) reject('amount', 'amount is required');
  } else if (currency !== null) {
    try {
      amountMinor = parseDecimal(values.amount, currency);
      if (amountMinor < 0) reject('amount', `must not be negative (got ${values.amount})`);
    } catch {
      const exp = currencyExponent(currency);
      reject(
        'amount',
        `"${values.amount}" is not a ${currency} amount (digits, "." and at most ${exp} decimals, not negative)`,
      );
    }
  }

  let minQuantity = 1;
  if (values.min_quantity !== undefined && type !== 'list') {
    const q = values.min_quantity;
    if (!/^[-+]?\d+$/.test(q)) reject('min_quantity', `"${q}" is not a whole number`);
    else if (Number(q) < 1) reject('min_quantity', `must be at least 1 (got ${Number(q)})`);
    else if (Number(q) > MAX_INT) reject('min_quantity', `too large (got ${q})`);
    else minQuantity = Number(q);
  }

  // Validity: dates begin at midnight in the tenant's zone (contracts) or the installation's.
  const zone = tenant?.timeZone ?? dict.installationTimeZone;
  let period: Period = { from: -Infinity, until: Infinity };
  if (type !== 'list' && !(type === 'contract' && !tenant)) {
    const parsed = parsePeriod(values.valid_from, values.valid_until, zone);
    period = parsed.period;
    for (const p of parsed.problems)
      reject(p.edge === 'from' ? 'valid_from' : 'valid_until', p.reason);
  }

  if (rejects.length > 0 || !type || currency === null) return { ok: false, rejects };
  return {
    ok: true,
    newList: type === 'price_list' && !list,
    row: {
      line,
      type,
      sku,
      amountMinor,
      currency,
      minQuantity,
      priceList,
      tenantId: tenant?.id ?? null,
      company,
      zone,
      from: period.from,
      until: period.until,
    },
  };
}

/** The upsert key of a row, as text: list → (sku, currency); price list → (list, sku, tier, from); contract → (tenant, company, sku, tier, from). */
export function priceKey(row: PriceRow): string {
  switch (row.type) {
    case 'list':
      return `L\u0000${row.sku}\u0000${row.currency}`;
    case 'price_list':
      return `P\u0000${row.priceList}\u0000${row.sku}\u0000${row.minQuantity}\u0000${row.from}`;
    case 'contract':
      return `C\u0000${row.tenantId}\u0000${row.company}\u0000${row.sku}\u0000${row.minQuantity}\u0000${row.from}`;
  }
}

/** The rows whose periods must not overlap: one article in one list, or one company's article. */
export function periodGroup(row: PriceRow): string {
  return row.type === 'contract'
    ? `C\u0000${row.tenantId}\u0000${row.company}\u0000${row.sku}`
    : `P\u0000${row.priceList}\u0000${row.sku}`;
}

/** Who a row's key names, for messages. */
export function describeKey(row: PriceRow): string {
  switch (row.type) {
    case 'list':
      return `list price of ${row.sku} in ${row.currency}`;
    case 'price_list':
      return `price of ${row.sku} in list "${row.priceList}" from ${row.minQuantity} piece(s), valid ${formatPeriod(row, row.zone)}`;
    case 'contract':
      return `contract price of ${row.sku} for company ${row.company} from ${row.minQuantity} piece(s), valid ${formatPeriod(row, row.zone)}`;
  }
}
