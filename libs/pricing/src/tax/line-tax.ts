import { assertMinor, roundHalfUp } from '../money';

/**
 * A VAT percentage as basis points: "21.00" → 2100, "5.5" → 550, "0" → 0. At most two decimals,
 * 0 to 100 %; anything else is a programming error (RangeError).
 */
export function vatRateBasisPoints(rate: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(rate);
  const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : NaN;
  if (!(bp >= 0 && bp <= 10000))
    throw new RangeError(`"${rate}" is not a VAT percentage (0 to 100, at most two decimals)`);
  return bp;
}

/** A rate in the canonical form of the table and of invoices: two decimals ("9" → "9.00"). */
export function formatVatRate(rate: string): string {
  return rateFromBasisPoints(vatRateBasisPoints(rate));
}

function rateFromBasisPoints(bp: number): string {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/**
 * The VAT of one line in minor units: net × rate / 100, rounded half away from zero to the minor
 * unit, computed in integers (BigInt). Negative nets (credit lines) round symmetrically:
 * −50 at 21 % is −10.5 → −11, as +50 gives +11.
 */
export function lineTaxMinor(netMinor: number, rate: string): number {
  const bp = BigInt(vatRateBasisPoints(rate));
  return assertMinor(Number(roundHalfUp(BigInt(assertMinor(netMinor)) * bp, 10000n)));
}

export interface TaxLine {
  /** Net amount of the line (unit price × quantity, after discounts), minor units. */
  readonly netMinor: number;
  /** The line's VAT rate, from `taxFor(...).rate`. */
  readonly rate: string;
}

/** One row of an invoice's VAT breakdown: the lines at one rate. */
export interface VatBreakdownRow {
  /** Two decimals ("21.00"). */
  readonly rate: string;
  readonly netMinor: number;
  /** Sum of the lines' `lineTaxMinor`. */
  readonly taxMinor: number;
}

export interface VatTotals {
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
  /** One row per distinct rate, highest rate first; empty for no lines. */
  readonly byRate: readonly VatBreakdownRow[];
}

/**
 * Order (or invoice) totals with the VAT broken down per rate. VAT is computed per line
 * (`lineTaxMinor`) and the rounded line amounts are summed — never recomputed on the per-rate
 * net — so every line's VAT shown equals what the total adds up to.
 */
export function sumVat(lines: readonly TaxLine[]): VatTotals {
  const rows = new Map<number, { net: bigint; tax: bigint }>();
  for (const line of lines) {
    const bp = vatRateBasisPoints(line.rate);
    const row = rows.get(bp) ?? { net: 0n, tax: 0n };
    row.net += BigInt(assertMinor(line.netMinor));
    row.tax += BigInt(lineTaxMinor(line.netMinor, line.rate));
    rows.set(bp, row);
  }
  let net = 0n;
  let tax = 0n;
  const byRate: VatBreakdownRow[] = [...rows.entries()]
    .sort(([a], [b]) => b - a)
    .map(([bp, row]) => {
      net += row.net;
      tax += row.tax;
      return {
        rate: rateFromBasisPoints(bp),
        netMinor: toMinor(row.net),
        taxMinor: toMinor(row.tax),
      };
    });
  return {
    netMinor: toMinor(net),
    taxMinor: toMinor(tax),
    grossMinor: toMinor(net + tax),
    byRate,
  };
}

function toMinor(amount: bigint): number {
  return assertMinor(Number(amount));
}
