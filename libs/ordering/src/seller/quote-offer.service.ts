import { Injectable } from '@nestjs/common';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { Outbox } from '@vitrine/outbox';
import { parseDecimal } from '@vitrine/pricing';
import { loadQuoteDocument } from '../documents';
import type { SellerChangeHooks } from './change-hooks';
import { loadSellerQuotes, type SellerQuote } from './seller-quote';
import { OFFERABLE_QUOTE_STATUSES, type QuoteStatusName } from './statuses';

/** One offered price: per unit, excluding VAT, a decimal string in the quote's currency. */
export interface QuoteOfferLine {
  sku: string;
  unitPrice: string;
}

/** Where a quote lives: found by its installation-wide number. */
interface QuoteHome {
  id: string;
  tenantId: string;
  slug: string;
  name: string;
  locales: string[];
}

/**
 * The seller's answer to a quote request: a price for every line and a validity date. One
 * unit of work sets the prices, makes the quote OFFERED (again, for a re-offer, which replaces
 * prices and validity) and enqueues the `quote-offered` e-mail to the quote's contact. Any
 * refusal — unknown number, a quote no longer open, a missing, extra or repeated article, a
 * price that is not an amount of the quote's currency, a validity in the past — writes nothing.
 */
@Injectable()
export class QuoteOfferService {
  constructor(
    private readonly db: TenantDb,
    private readonly outbox: Outbox,
  ) {}

  async offer(
    number: string,
    lines: readonly QuoteOfferLine[],
    validUntil: Date,
    now: Date = new Date(),
    hooks: SellerChangeHooks<SellerQuote> = {},
  ): Promise<SellerQuote> {
    const home = await this.find(number.trim());
    // The admin API's say (its tenants) comes before anything else about the quote is told.
    await hooks.authorize?.(home.tenantId);
    if (Number.isNaN(validUntil.getTime()) || validUntil.getTime() <= now.getTime())
      throw VitrineError.badInput(
        `validUntil must be in the future; got ${Number.isNaN(validUntil.getTime()) ? 'an invalid date' : validUntil.toISOString()}.`,
      );
    if (lines.length === 0)
      throw VitrineError.badInput('Offer a price for every line of the quote.');
    const duplicates = repeated(lines.map((l) => normalizeSku(l.sku)));
    if (duplicates.length)
      throw VitrineError.badInput(
        `Each article is priced once; repeated: ${duplicates.join(', ')}.`,
        {
          duplicateSkus: duplicates,
        },
      );
    return this.db.run({ tenantId: home.tenantId }, async (em) => {
      const [quote] = (await em.query(
        `SELECT status, currency, contact_email FROM quote WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [home.tenantId, home.id],
      )) as Array<{ status: QuoteStatusName; currency: string; contact_email: string }>;
      if (!quote) throw VitrineError.notFound(`There is no quote "${number}".`);
      if (!OFFERABLE_QUOTE_STATUSES.includes(quote.status))
        throw new VitrineError(
          'CONFLICT',
          `Quote ${number} is ${quote.status}: only a REQUESTED or OFFERED quote can be offered.`,
          { currentStatus: quote.status },
        );
      const before = hooks.applied ? (await loadSellerQuotes(em, [home.id]))[0] : null;
      const quoted = (await em.query(
        `SELECT line_no, sku FROM quote_line WHERE tenant_id = $1 AND quote_id = $2 ORDER BY line_no`,
        [home.tenantId, home.id],
      )) as Array<{ line_no: number; sku: string }>;
      const prices = priceLines(quoted, lines, quote.currency);
      await em.query(
        `UPDATE quote_line l SET offered_unit_minor = x.price
           FROM unnest($3::int[], $4::bigint[]) AS x(line_no, price)
          WHERE l.tenant_id = $1 AND l.quote_id = $2 AND l.line_no = x.line_no`,
        [home.tenantId, home.id, prices.map((p) => p.lineNo), prices.map((p) => p.minor)],
      );
      const [offered] = returnedRows<{ offered_ms: string }>(
        await em.query(
          `UPDATE quote SET status = 'OFFERED', offered_at = now(), valid_until = $3, updated_at = now()
          WHERE tenant_id = $1 AND id = $2
          RETURNING (extract(epoch FROM offered_at) * 1000)::bigint::text AS offered_ms`,
          [home.tenantId, home.id, validUntil.toISOString()],
        ),
      );
      const locale = home.locales[0] ?? 'en';
      const document = await loadQuoteDocument(
        em,
        { id: home.tenantId, slug: home.slug, name: home.name },
        home.id,
      );
      await this.outbox.enqueue(em, home.tenantId, [
        {
          topic: 'mail',
          dedupeKey: `quote-offered:${home.id}:${offered.offered_ms}`,
          payload: {
            kind: 'mail',
            template: 'quote-offered',
            to: [quote.contact_email],
            locale,
            data: { quote: document },
          },
        },
      ]);
      const [result] = await loadSellerQuotes(em, [home.id]);
      if (before) await hooks.applied?.(em, { tenantId: home.tenantId, before, after: result });
      return result;
    });
  }

  /** The quote's id and tenant, read across tenants by its number (unique installation-wide). */
  private async find(number: string): Promise<QuoteHome> {
    const [row] = await this.db.maintenance(
      (em) =>
        em.query(
          `SELECT q.id, q.tenant_id, t.slug, t.name, t.locales
             FROM quote q JOIN tenant t ON t.id = q.tenant_id WHERE q.number = $1`,
          [number],
        ) as Promise<
          Array<{ id: string; tenant_id: string; slug: string; name: string; locales: string[] }>
        >,
    );
    if (!row) throw VitrineError.notFound(`There is no quote "${number}".`);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      slug: row.slug,
      name: row.name,
      locales: row.locales,
    };
  }
}

/**
 * Matches the offered prices to the quote's lines: exactly one price per line, no article that
 * is not on the quote. Prices are amounts of the quote's currency, zero or more.
 */
function priceLines(
  quoted: ReadonlyArray<{ line_no: number; sku: string }>,
  offered: readonly QuoteOfferLine[],
  currency: string,
): Array<{ lineNo: number; minor: number }> {
  const bySku = new Map(offered.map((l) => [normalizeSku(l.sku), l]));
  const onQuote = new Set(quoted.map((l) => normalizeSku(l.sku)));
  const missing = quoted.filter((l) => !bySku.has(normalizeSku(l.sku))).map((l) => l.sku);
  const extra = offered.filter((l) => !onQuote.has(normalizeSku(l.sku))).map((l) => l.sku);
  if (missing.length || extra.length) {
    const problems = [
      missing.length ? `no price for ${missing.join(', ')}` : '',
      extra.length ? `not on the quote: ${extra.join(', ')}` : '',
    ].filter(Boolean);
    throw VitrineError.badInput(
      `Offer one price for every line of the quote: ${problems.join('; ')}.`,
      {
        missingSkus: missing,
        unknownSkus: extra,
      },
    );
  }
  return quoted.map((line) => {
    const { sku, unitPrice } = bySku.get(normalizeSku(line.sku))!;
    let minor: number;
    try {
      minor = parseDecimal(unitPrice.trim(), currency);
    } catch (err) {
      if (err instanceof VitrineError)
        throw VitrineError.badInput(`Price of ${sku}: ${err.message}`, { sku });
      throw err;
    }
    if (minor < 0)
      throw VitrineError.badInput(`Price of ${sku} must not be negative; got ${unitPrice}.`, {
        sku,
      });
    return { lineNo: line.line_no, minor };
  });
}

/** Article numbers compare as the catalog does: trimmed, case-insensitive. */
function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}

function repeated(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}
