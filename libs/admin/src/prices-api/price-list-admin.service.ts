import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import {
  formatEdge,
  INSTALLATION_TIME_ZONE,
  isCurrencyCode,
  parsePeriod,
  PriceChangeService,
  PriceImporter,
  priceListCodeProblem,
  sqlInstant,
  type PriceDictionary,
} from '@vitrine/pricing';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminPolicy } from '../accounts/admin-policy';
import { AuditedChanges } from '../audit';
import {
  checkName,
  LIST_SELECT,
  listState,
  pricePage,
  toPriceList,
  unknownSkus,
  type ListRow,
  type StoredPriceRow,
} from './price-rows';
import {
  checkCallSize,
  checkFirst,
  decodeCodeCursor,
  decodePriceCursor,
  edgeMs,
  encodeCodeCursor,
  firstKeys,
  parseKeys,
  refusal,
  writePricesOrRefuse,
  validatePrices,
  type Problem,
} from './price-input';
import type {
  AdminPriceConnectionType,
  AdminPriceInput,
  AdminPriceKeyInput,
  AdminPriceListType,
  CreatePriceListInput,
  PriceListConnectionType,
  PriceSetResultType,
  UpdatePriceListInput,
} from './price-admin.types';

const AREA = 'PRICES';
/** Price-list dates begin at midnight in the installation's zone, as in the import. */
const ZONE = INSTALLATION_TIME_ZONE;

/** What a price-list change logs: the list's fields, or counts and the first keys of a bulk change. */
type ListAudit = Record<string, unknown> | null;

/**
 * Price lists and their prices for the seller's admins (area PRICES: CATALOG_MANAGER and
 * SUPER_ADMIN). Prices are validated and written by the price import's own rules and writer
 * (`validatePriceRow`, `PriceImporter.writeRows`), all or nothing per call; every change bumps
 * the versions of the tenants using the list in its transaction and is published after the
 * commit, so every instance prices with it on the next request. Every change is in the audit
 * log (APPLIED with before/after in its transaction, REFUSED with the reason).
 */
@Injectable()
export class PriceListAdminService {
  constructor(
    private readonly db: TenantDb,
    private readonly changes: AuditedChanges,
    private readonly importer: PriceImporter,
    private readonly prices: PriceChangeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    admin: AdminIdentity,
    options: { first: number; after: string | null; currency: string | null },
  ): Promise<PriceListConnectionType> {
    AdminPolicy.requireUse(admin, AREA);
    const first = checkFirst(options.first, this.config.graphql.maxFirst);
    const after = options.after ? decodeCodeCursor(options.after) : null;
    const rows = await this.db.maintenance(
      (em) =>
        em.query(
          `${LIST_SELECT} WHERE ($1::text IS NULL OR pl.currency = $1) AND ($2::text IS NULL OR pl.code > $2)
           ORDER BY pl.code LIMIT $3`,
          [options.currency?.trim().toUpperCase() || null, after, first + 1],
        ) as Promise<ListRow[]>,
    );
    const edges = rows.slice(0, first).map((r) => ({
      cursor: encodeCodeCursor(r.code),
      node: toPriceList(r),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      },
    };
  }

  async get(admin: AdminIdentity, code: string): Promise<AdminPriceListType | null> {
    AdminPolicy.requireUse(admin, AREA);
    const row = await this.db.maintenance((em) => this.find(em, code));
    return row ? toPriceList(row) : null;
  }

  async entries(
    admin: AdminIdentity,
    code: string,
    options: { sku: string | null; first: number; after: string | null },
  ): Promise<AdminPriceConnectionType> {
    AdminPolicy.requireUse(admin, AREA);
    const first = checkFirst(options.first, this.config.graphql.maxFirst);
    const after = options.after ? decodePriceCursor(options.after) : null;
    const [list] = await this.db.query<{ id: number; currency: string }>(
      `SELECT id, currency FROM price_list WHERE code = $1`,
      [code],
    );
    if (!list) throw VitrineError.notFound(`There is no price list "${code}".`);
    const rows = await this.db.query<StoredPriceRow>(
      `SELECT v.sku, e.min_quantity, e.amount_minor::text AS amount, ${edgeMs('e.valid_from')}::text AS f,
              ${edgeMs('e.valid_until')}::text AS u
         FROM price_list_entry e JOIN variant v ON v.id = e.variant_id
        WHERE e.price_list_id = $1 AND ($2::text IS NULL OR v.sku = upper(trim($2)))
          AND ($3::text IS NULL OR (v.sku, e.min_quantity, e.valid_from) > ($3, $4::int, $5::timestamptz))
        ORDER BY v.sku, e.min_quantity, e.valid_from LIMIT $6`,
      [list.id, options.sku, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, first + 1],
    );
    return pricePage(rows, first, list.currency.trim());
  }

  /** A new, empty price list; CONFLICT when the code exists. */
  async create(admin: AdminIdentity, input: CreatePriceListInput): Promise<AdminPriceListType> {
    const code = String(input.code ?? '').trim();
    return this.change(admin, 'price-list.create', code, async (audit) => {
      const problems: Problem[] = [];
      const codeProblem = priceListCodeProblem(code);
      if (codeProblem) problems.push({ path: 'input.code', message: codeProblem });
      const name = checkName(input.name, problems);
      const currency = String(input.currency ?? '')
        .trim()
        .toUpperCase();
      if (!isCurrencyCode(currency))
        problems.push({
          path: 'input.currency',
          message: `"${input.currency}" is not an ISO 4217 currency code`,
        });
      const period = this.period(
        input.validFrom ?? undefined,
        input.validUntil ?? undefined,
        problems,
      );
      if (problems.length) throw refusal(problems, 'The price list was refused');
      const row = await this.db.maintenance(async (em) => {
        const [created] = (await em.query(
          `INSERT INTO price_list (code, name, currency, valid_from, valid_until)
           VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz) ON CONFLICT (code) DO NOTHING RETURNING id`,
          [code, name, currency, sqlInstant(period.from), sqlInstant(period.until)],
        )) as Array<{ id: number }>;
        if (!created)
          throw new VitrineError(
            'CONFLICT',
            `A price list "${code}" exists already; change it with updatePriceList.`,
            { field: 'input.code' },
          );
        const row = (await this.find(em, code))!;
        await audit(em, null, listState(row));
        return row;
      });
      return { result: toPriceList(row) };
    });
  }

  /** Name and validity of a list; a validity change reprices every tenant using it. */
  async update(
    admin: AdminIdentity,
    code: string,
    input: UpdatePriceListInput,
  ): Promise<AdminPriceListType> {
    return this.change(admin, 'price-list.update', code, async (audit) => {
      const { row, tenantIds } = await this.db.maintenance(async (em) => {
        const current = await this.find(em, code, true);
        if (!current) throw VitrineError.notFound(`There is no price list "${code}".`);
        const problems: Problem[] = [];
        const name =
          input.name === undefined || input.name === null
            ? current.name
            : checkName(input.name, problems);
        // A kept edge is given again as the instant it is, so one rule checks the new period.
        const edge = (given: string | null | undefined, stored: string | null) =>
          given === undefined
            ? stored === null
              ? undefined
              : formatEdge(Number(stored), ZONE)
            : (given ?? undefined);
        const period = this.period(
          edge(input.validFrom, current.f),
          edge(input.validUntil, current.u),
          problems,
        );
        if (problems.length) throw refusal(problems, 'The price list was refused');
        await em.query(
          `UPDATE price_list SET name = $2, valid_from = $3::timestamptz, valid_until = $4::timestamptz WHERE id = $1`,
          [current.id, name, sqlInstant(period.from), sqlInstant(period.until)],
        );
        const updated = (await this.find(em, code))!;
        const validityChanged = updated.f !== current.f || updated.u !== current.u;
        const bumped = validityChanged
          ? await this.prices.record(em, { priceListIds: [current.id] })
          : [];
        await audit(em, listState(current), listState(updated));
        return { row: updated, tenantIds: bumped };
      });
      await this.prices.publish(tenantIds);
      return { result: toPriceList(row) };
    });
  }

  /** Upserts prices of a list by (sku, minQuantity, validFrom), all or nothing. */
  async setPrices(
    admin: AdminIdentity,
    code: string,
    prices: readonly AdminPriceInput[],
  ): Promise<PriceSetResultType> {
    return this.change(admin, 'price-list.prices.set', code, async (audit) => {
      checkCallSize(prices.length, 'prices');
      const { result, tenantIds } = await this.db.maintenance(async (em) => {
        const list = await this.find(em, code, true);
        if (!list) throw VitrineError.notFound(`There is no price list "${code}".`);
        const dict: PriceDictionary = {
          tenants: new Map(),
          priceLists: new Map([
            [
              list.code,
              {
                currency: list.currency.trim(),
                tenants: list.tenants.map((t) => ({ slug: t.slug, currency: t.currency.trim() })),
              },
            ],
          ]),
          installationTimeZone: ZONE,
        };
        const { rows, problems } = validatePrices(
          prices,
          { type: 'price_list', code: list.code },
          dict,
        );
        if (problems.length) throw refusal(problems, 'The prices were refused');
        const { result, tenantIds } = await writePricesOrRefuse(
          this.importer,
          em,
          rows,
          'The prices were refused',
        );
        if (result.created + result.updated > 0)
          await audit(
            em,
            { entries: list.entry_count },
            {
              entries: list.entry_count + result.created,
              ...result,
              keys: firstKeys(
                rows.map((r) => ({ sku: r.sku, minQuantity: r.minQuantity, from: r.from })),
                ZONE,
              ),
            },
          );
        return { result, tenantIds };
      });
      await this.prices.publish(tenantIds);
      return { result };
    });
  }

  /** Removes prices of a list by key; answers how many were stored (and are now gone). */
  async removePrices(
    admin: AdminIdentity,
    code: string,
    keys: readonly AdminPriceKeyInput[],
  ): Promise<number> {
    return this.change(admin, 'price-list.prices.remove', code, async (audit) => {
      checkCallSize(keys.length, 'keys');
      const parsed = parseKeys(keys, ZONE);
      if (parsed.problems.length) throw refusal(parsed.problems, 'The keys were refused');
      const { removed, tenantIds } = await this.db.maintenance(async (em) => {
        const list = await this.find(em, code, true);
        if (!list) throw VitrineError.notFound(`There is no price list "${code}".`);
        const unknown = await unknownSkus(
          em,
          parsed.keys.map((k) => k.sku),
        );
        if (unknown.length)
          throw refusal(
            unknown.map((sku) => ({ path: 'keys', message: `unknown SKU "${sku}"` })),
            'The keys were refused',
          );
        const removed = returnedRows<{ n: number }>(
          await em.query(
            `DELETE FROM price_list_entry e USING (
               SELECT v.id AS v, x.q, x.f FROM unnest($2::text[], $3::int[], $4::timestamptz[]) AS x(sku, q, f)
               JOIN variant v ON v.sku = x.sku) k
             WHERE e.price_list_id = $1 AND e.variant_id = k.v AND e.min_quantity = k.q AND e.valid_from = k.f
             RETURNING 1 AS n`,
            [
              list.id,
              parsed.keys.map((k) => k.sku),
              parsed.keys.map((k) => k.minQuantity),
              parsed.keys.map((k) => sqlInstant(k.from)),
            ],
          ),
        ).length;
        if (removed === 0) return { removed, tenantIds: [] as string[] };
        const bumped = await this.prices.record(em, { priceListIds: [list.id] });
        await audit(
          em,
          { entries: list.entry_count },
          { entries: list.entry_count - removed, removed, keys: firstKeys(parsed.keys, ZONE) },
        );
        return { removed, tenantIds: bumped };
      });
      await this.prices.publish(tenantIds);
      return { result: removed };
    });
  }

  // -------------------------------------------------------------------------------------------

  private async find(em: EntityManager, code: string, lock = false): Promise<ListRow | undefined> {
    if (lock) await em.query(`SELECT 1 FROM price_list WHERE code = $1 FOR UPDATE`, [code]);
    const [row] = (await em.query(`${LIST_SELECT} WHERE pl.code = $1`, [code])) as ListRow[];
    return row;
  }

  private period(from: string | undefined, until: string | undefined, problems: Problem[]) {
    const parsed = parsePeriod(from?.trim() || undefined, until?.trim() || undefined, ZONE);
    for (const p of parsed.problems)
      problems.push({
        path: p.edge === 'from' ? 'input.validFrom' : 'input.validUntil',
        message: p.reason
          .replace(/\bvalid_from\b/g, 'validFrom')
          .replace(/\bvalid_until\b/g, 'validUntil'),
      });
    return parsed.period;
  }

  /**
   * One audited change (area PRICES, the seller's data: no tenant): authorized before anything
   * is read; `work` logs through `audit` in its transaction what it applied.
   */
  private async change<R>(
    admin: AdminIdentity,
    action: string,
    target: string,
    work: (
      audit: (em: EntityManager, before: ListAudit, after: ListAudit) => Promise<void>,
    ) => Promise<{ result: R }>,
  ): Promise<R> {
    let result!: R;
    await this.changes.run<ListAudit>(
      { admin, area: AREA, action, target, summarize: (s) => s },
      async (hooks) => {
        hooks.authorize(null);
        const out = await work((em, before, after) =>
          hooks.applied(em, { tenantId: null, before, after }),
        );
        result = out.result;
        return null;
      },
    );
    return result;
  }
}
