import { Injectable } from '@nestjs/common';
import {
  runImport,
  type BatchOutcome,
  type ImportOptions,
  type ImportResult,
  type RowReject,
} from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import type { EntityManager } from 'typeorm';
import { PriceChangeService } from '../price-change.service';
import { KeyIndex } from './key-index';
import {
  checkPriceCsvHeader,
  describeKey,
  periodGroup,
  priceKey,
  validatePriceRow,
  type PriceDictionary,
  type PriceListInfo,
  type PriceRow,
  type TenantInfo,
} from './price-row';
import { formatPeriod, INSTALLATION_TIME_ZONE, overlaps, sqlInstant } from './validity';

/** Rows per transaction unless `--batch-size` says otherwise: price rows are small. */
export const PRICE_BATCH_SIZE = 10_000;

/** Tables a price import writes, analyzed after a load (PGlite has no autovacuum). */
const IMPORTED_TABLES = ['list_price', 'price_list_entry', 'contract_price'];

export interface PriceImportOptions extends ImportOptions {
  /** Zone in which price-list dates begin; default INSTALLATION_TIME_ZONE. */
  installationTimeZone?: string;
}

/** A row whose SKU (and company, list) the batch resolved to ids. */
interface Resolved {
  row: PriceRow;
  variantId: number;
  /** price_list_id or company id; null for list prices */
  ownerId: number | string | null;
  group: string;
}

/** A stored price that overlaps a row's period: its tier and period. */
interface StoredPeriod {
  minQuantity: number;
  from: number;
  until: number;
}

/**
 * `vitrine import prices`: list prices, price-list entries and contract prices from one CSV or
 * NDJSON file, through the catalog's import pipeline (batches, one transaction each, reject
 * file, exit codes). Writes are batched unnest upserts by key that skip rows whose stored
 * values are the row's, so importing the same file again writes nothing. After each batch that
 * changed prices the affected tenants' versions are bumped in the same transaction and, after
 * the commit, published, so the next request sees the new prices.
 */
@Injectable()
export class PriceImporter {
  /** tenant id + company code → company id; companies are few and rarely change. */
  private readonly companies = new Map<string, string>();

  constructor(
    private readonly db: TenantDb,
    private readonly changes: PriceChangeService,
  ) {}

  async import(path: string, options: PriceImportOptions = {}): Promise<ImportResult> {
    const dict = await this.dictionary(options.installationTimeZone ?? INSTALLATION_TIME_ZONE);
    const keys = new KeyIndex();
    this.companies.clear();
    const result = await runImport<PriceRow>(
      path,
      { ...options, batchSize: options.batchSize ?? PRICE_BATCH_SIZE },
      {
        checkHeader: checkPriceCsvHeader,
        skuOf: (row) => row.sku,
        toRow: (record, line) => {
          const v = validatePriceRow(record, line, dict);
          if (!v.ok) return v.rejects;
          const row = v.row;
          const first = keys.addOrGet(priceKey(row), line);
          if (first !== 0)
            return [
              {
                line,
                sku: row.sku,
                column: '-',
                reason: `duplicate key: the ${describeKey(row)} is already on line ${first}`,
              },
            ];
          // Later rows of a list the file creates are checked against the currency it gets.
          if (v.newList)
            dict.priceLists.set(row.priceList!, { currency: row.currency, tenants: [] });
          return row;
        },
        commit: async (rows) => {
          const { outcome, tenantIds } = await this.db.maintenance((em) =>
            this.writeBatch(em, rows),
          );
          await this.changes.publish(tenantIds);
          return outcome;
        },
      },
    );
    if (result.created + result.updated > 0) await this.db.refreshStatistics(IMPORTED_TABLES);
    return result;
  }

  private async dictionary(
    installationTimeZone: string,
  ): Promise<PriceDictionary & { priceLists: Map<string, PriceListInfo> }> {
    return this.db.maintenance(async (em) => {
      const tenants = (await em.query(
        `SELECT id, slug, currency, time_zone FROM tenant`,
      )) as Array<{ id: string; slug: string; currency: string; time_zone: string }>;
      const lists = (await em.query(
        `SELECT pl.code, pl.currency,
           coalesce(json_agg(json_build_object('slug', t.slug, 'currency', t.currency))
             FILTER (WHERE t.id IS NOT NULL), '[]') AS tenants
         FROM price_list pl
         LEFT JOIN tenant_price_list tpl ON tpl.price_list_id = pl.id
         LEFT JOIN tenant t ON t.id = tpl.tenant_id
         GROUP BY pl.id`,
      )) as Array<{ code: string; currency: string; tenants: PriceListInfo['tenants'] }>;
      return {
        tenants: new Map<string, TenantInfo>(
          tenants.map((t) => [
            t.slug,
            { id: t.id, slug: t.slug, currency: t.currency.trim(), timeZone: t.time_zone },
          ]),
        ),
        priceLists: new Map<string, PriceListInfo>(
          lists.map((l) => [
            l.code,
            {
              currency: l.currency.trim(),
              tenants: l.tenants.map((t) => ({ slug: t.slug, currency: t.currency.trim() })),
            },
          ]),
        ),
        installationTimeZone,
      };
    });
  }

  /** Writes one batch in the caller's (maintenance) transaction. */
  private async writeBatch(
    em: EntityManager,
    rows: PriceRow[],
  ): Promise<{ outcome: BatchOutcome; tenantIds: string[] }> {
    const rejects: RowReject[] = [];
    const reject = (row: PriceRow, column: string, reason: string) =>
      rejects.push({ line: row.line, sku: row.sku, column, reason });

    const variants = await this.variantIds(em, rows);
    const lists = await this.priceListIds(em, rows);
    const companies = await this.companyIds(em, rows);

    const resolved: Resolved[] = [];
    for (const row of rows) {
      const variantId = variants.get(row.sku);
      let ownerId: number | string | null = null;
      let ok = true;
      if (variantId === undefined) {
        reject(row, 'sku', `unknown SKU "${row.sku}"`);
        ok = false;
      }
      if (row.type === 'contract') {
        const id = companies.get(`${row.tenantId}\u0000${row.company}`);
        if (id === undefined) {
          reject(row, 'company', `unknown company "${row.company}" of this tenant`);
          ok = false;
        } else ownerId = id;
      } else if (row.type === 'price_list') {
        // A list the file introduces is created below, once one of its rows is written.
        const list = lists.get(row.priceList!);
        if (list && list.currency !== row.currency) {
          reject(row, 'currency', `price list "${row.priceList}" is in ${list.currency}`);
          ok = false;
        } else ownerId = list?.id ?? null;
      }
      if (ok) resolved.push({ row, variantId: variantId!, ownerId, group: periodGroup(row) });
    }

    const timed = resolved.filter((r) => r.row.type !== 'list');
    const stored = await this.storedOverlaps(em, timed);
    const refused = checkPeriods(timed, stored);
    for (const [r, reason] of refused) reject(r.row, 'valid_from', reason);
    const writes = resolved.filter((r) => !refused.has(r));
    await this.createPriceLists(
      em,
      writes.filter((r) => r.row.type === 'price_list' && r.ownerId === null),
    );

    const counts = { created: 0, updated: 0 };
    const tally = (w: { created: string; updated: string }) => {
      counts.created += Number(w.created);
      counts.updated += Number(w.updated);
      return Number(w.created) + Number(w.updated) > 0;
    };
    const listRows = writes.filter((r) => r.row.type === 'list');
    const entryRows = writes.filter((r) => r.row.type === 'price_list');
    const contractRows = writes.filter((r) => r.row.type === 'contract');

    let listPrices = false;
    if (listRows.length > 0) {
      const [w] = (await em.query(
        `WITH w AS (
           INSERT INTO list_price (variant_id, currency, amount_minor)
           SELECT * FROM unnest($1::int[], $2::text[], $3::bigint[])
           ON CONFLICT (variant_id, currency) DO UPDATE SET amount_minor = EXCLUDED.amount_minor
           WHERE list_price.amount_minor IS DISTINCT FROM EXCLUDED.amount_minor
           RETURNING (xmax = 0) AS inserted)
         SELECT count(*) FILTER (WHERE inserted) AS created,
                count(*) FILTER (WHERE NOT inserted) AS updated FROM w`,
        [
          listRows.map((r) => r.variantId),
          listRows.map((r) => r.row.currency),
          listRows.map((r) => String(r.row.amountMinor)),
        ],
      )) as Array<{ created: string; updated: string }>;
      listPrices = tally(w);
    }

    let priceListIds: number[] = [];
    if (entryRows.length > 0) {
      const [w] = (await em.query(
        `WITH w AS (
           INSERT INTO price_list_entry (price_list_id, variant_id, min_quantity, valid_from, valid_until, amount_minor)
           SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::bigint[])
           ON CONFLICT (price_list_id, variant_id, min_quantity, valid_from) DO UPDATE
             SET valid_until = EXCLUDED.valid_until, amount_minor = EXCLUDED.amount_minor, updated_at = now()
           WHERE (price_list_entry.valid_until, price_list_entry.amount_minor)
             IS DISTINCT FROM (EXCLUDED.valid_until, EXCLUDED.amount_minor)
           RETURNING (xmax = 0) AS inserted, price_list_id)
         SELECT count(*) FILTER (WHERE inserted) AS created,
                count(*) FILTER (WHERE NOT inserted) AS updated,
                coalesce(array_agg(DISTINCT price_list_id), '{}') AS lists FROM w`,
        [
          entryRows.map((r) => r.ownerId),
          entryRows.map((r) => r.variantId),
          entryRows.map((r) => r.row.minQuantity),
          entryRows.map((r) => sqlInstant(r.row.from)),
          entryRows.map((r) => sqlInstant(r.row.until)),
          entryRows.map((r) => String(r.row.amountMinor)),
        ],
      )) as Array<{ created: string; updated: string; lists: number[] }>;
      if (tally(w)) priceListIds = w.lists.map(Number);
    }

    let tenantIds: string[] = [];
    if (contractRows.length > 0) {
      const [w] = (await em.query(
        `WITH w AS (
           INSERT INTO contract_price (tenant_id, company_id, variant_id, min_quantity, valid_from, valid_until, amount_minor, currency)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::bigint[], $8::text[])
           ON CONFLICT (tenant_id, company_id, variant_id, min_quantity, valid_from) DO UPDATE
             SET valid_until = EXCLUDED.valid_until, amount_minor = EXCLUDED.amount_minor,
                 currency = EXCLUDED.currency, updated_at = now()
           WHERE (contract_price.valid_until, contract_price.amount_minor, contract_price.currency)
             IS DISTINCT FROM (EXCLUDED.valid_until, EXCLUDED.amount_minor, EXCLUDED.currency)
           RETURNING (xmax = 0) AS inserted, tenant_id)
         SELECT count(*) FILTER (WHERE inserted) AS created,
                count(*) FILTER (WHERE NOT inserted) AS updated,
                coalesce(array_agg(DISTINCT tenant_id), '{}') AS tenants FROM w`,
        [
          contractRows.map((r) => r.row.tenantId),
          contractRows.map((r) => r.ownerId),
          contractRows.map((r) => r.variantId),
          contractRows.map((r) => r.row.minQuantity),
          contractRows.map((r) => sqlInstant(r.row.from)),
          contractRows.map((r) => sqlInstant(r.row.until)),
          contractRows.map((r) => String(r.row.amountMinor)),
          contractRows.map((r) => r.row.currency),
        ],
      )) as Array<{ created: string; updated: string; tenants: string[] }>;
      if (tally(w)) tenantIds = w.tenants;
    }

    const bumped = await this.changes.record(em, { listPrices, priceListIds, tenantIds });
    return {
      outcome: {
        created: counts.created,
        updated: counts.updated,
        unchanged: writes.length - counts.created - counts.updated,
        rejects,
      },
      tenantIds: bumped,
    };
  }

  private async variantIds(em: EntityManager, rows: PriceRow[]): Promise<Map<string, number>> {
    const skus = [...new Set(rows.map((r) => r.sku))];
    const found = (await em.query(`SELECT id, sku FROM variant WHERE sku = ANY($1::text[])`, [
      skus,
    ])) as Array<{ id: number; sku: string }>;
    return new Map(found.map((v) => [v.sku, v.id]));
  }

  /** Ids and currencies of the batch's price lists that exist. */
  private async priceListIds(
    em: EntityManager,
    rows: PriceRow[],
  ): Promise<Map<string, { id: number; currency: string }>> {
    const codes = [
      ...new Set(rows.filter((r) => r.type === 'price_list').map((r) => r.priceList!)),
    ];
    if (codes.length === 0) return new Map();
    const found = (await em.query(
      `SELECT id, code, currency FROM price_list WHERE code = ANY($1::text[])`,
      [codes],
    )) as Array<{ id: number; code: string; currency: string }>;
    return new Map(found.map((l) => [l.code, { id: l.id, currency: l.currency.trim() }]));
  }

  /** Creates the lists these rows introduce (named by their code, in the row's currency) and sets their ids. */
  private async createPriceLists(em: EntityManager, rows: Resolved[]): Promise<void> {
    if (rows.length === 0) return;
    const wanted = new Map<string, string>();
    for (const r of rows)
      if (!wanted.has(r.row.priceList!)) wanted.set(r.row.priceList!, r.row.currency);
    const codes = [...wanted.keys()];
    const created = (await em.query(
      `INSERT INTO price_list (code, name, currency)
       SELECT code, code, currency FROM unnest($1::text[], $2::text[]) AS x(code, currency)
       ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code
       RETURNING id, code`,
      [codes, codes.map((c) => wanted.get(c))],
    )) as Array<{ id: number; code: string }>;
    const ids = new Map(created.map((l) => [l.code, l.id]));
    for (const r of rows) r.ownerId = ids.get(r.row.priceList!)!;
  }

  /** Company ids by tenant id + code: from the cache, the rest with one query. */
  private async companyIds(em: EntityManager, rows: PriceRow[]): Promise<Map<string, string>> {
    const missing = new Map<string, [string, string]>();
    for (const r of rows) {
      if (r.type !== 'contract') continue;
      const key = `${r.tenantId}\u0000${r.company}`;
      if (!this.companies.has(key) && !missing.has(key))
        missing.set(key, [r.tenantId!, r.company!]);
    }
    if (missing.size > 0) {
      const pairs = [...missing.values()];
      const found = (await em.query(
        `SELECT c.tenant_id, c.code, c.id FROM company c
         JOIN unnest($1::uuid[], $2::text[]) AS x(tenant_id, code)
           ON c.tenant_id = x.tenant_id AND c.code = x.code`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      )) as Array<{ tenant_id: string; code: string; id: string }>;
      if (this.companies.size > 100_000) this.companies.clear();
      for (const c of found) this.companies.set(`${c.tenant_id}\u0000${c.code}`, c.id);
    }
    return this.companies;
  }

  /**
   * Stored prices of the same list and article (or company and article) whose period overlaps
   * a row's without being the same period. One query per kind for the batch, probing each
   * distinct (group, period) once (tiers share a period).
   */
  private async storedOverlaps(
    em: EntityManager,
    rows: Resolved[],
  ): Promise<Map<Resolved, StoredPeriod[]>> {
    const out = new Map<Resolved, StoredPeriod[]>();
    for (const kind of ['price_list', 'contract'] as const) {
      const probes = new Map<string, Resolved[]>();
      for (const r of rows) {
        // A list the file introduces has nothing stored yet.
        if (r.row.type !== kind || r.ownerId === null) continue;
        const key = `${r.group}\u0000${r.row.from}\u0000${r.row.until}`;
        const list = probes.get(key);
        if (list) list.push(r);
        else probes.set(key, [r]);
      }
      if (probes.size === 0) continue;
      const heads = [...probes.values()].map((l) => l[0]);
      const params = [
        heads.map((r) => r.ownerId),
        heads.map((r) => r.variantId),
        heads.map((r) => sqlInstant(r.row.from)),
        heads.map((r) => sqlInstant(r.row.until)),
        heads.map((r) => r.row.tenantId),
      ];
      const found = (await em.query(
        kind === 'contract'
          ? `SELECT b.i, c.min_quantity AS q,
               extract(epoch FROM c.valid_from) * 1000 AS f, extract(epoch FROM c.valid_until) * 1000 AS u
             FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::uuid[])
               WITH ORDINALITY AS b(o, v, f, u, t, i)
             JOIN contract_price c ON c.tenant_id = b.t AND c.company_id = b.o AND c.variant_id = b.v
             WHERE c.valid_from < b.u AND b.f < c.valid_until
               AND (c.valid_from <> b.f OR c.valid_until <> b.u)`
          : `SELECT b.i, e.min_quantity AS q,
               extract(epoch FROM e.valid_from) * 1000 AS f, extract(epoch FROM e.valid_until) * 1000 AS u
             FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::timestamptz[])
               WITH ORDINALITY AS b(o, v, f, u, i)
             JOIN price_list_entry e ON e.price_list_id = b.o AND e.variant_id = b.v
             WHERE e.valid_from < b.u AND b.f < e.valid_until
               AND (e.valid_from <> b.f OR e.valid_until <> b.u)`,
        kind === 'contract' ? params : params.slice(0, 4),
      )) as Array<{ i: string; q: number; f: string; u: string }>;
      const groups = [...probes.values()];
      for (const s of found) {
        const period = { minQuantity: Number(s.q), from: Number(s.f), until: Number(s.u) };
        for (const r of groups[Number(s.i) - 1]) {
          const list = out.get(r);
          if (list) list.push(period);
          else out.set(r, [period]);
        }
      }
    }
    return out;
  }
}

/**
 * Rows whose period overlaps another period of the same group without being the same period
 * (tiers of one period share it exactly): an earlier row of the batch, or a stored price that
 * no accepted row of the batch replaces. Earlier batches of the file are stored already.
 * Refusing a row can expose a stored price it would have replaced, so the check repeats
 * until nothing more is refused.
 */
export function checkPeriods(
  rows: readonly Resolved[],
  stored: ReadonlyMap<Resolved, readonly StoredPeriod[]>,
): Map<Resolved, string> {
  const refusedByStore = new Map<Resolved, string>();
  for (;;) {
    const refused = new Map<Resolved, string>(refusedByStore);
    const periods = new Map<string, Array<{ from: number; until: number; line: number }>>();
    for (const r of rows) {
      if (refused.has(r)) continue;
      const seen = periods.get(r.group) ?? [];
      const clash = seen.find(
        (p) => (p.from !== r.row.from || p.until !== r.row.until) && overlaps(p, r.row),
      );
      if (clash) {
        refused.set(
          r,
          `the period ${formatPeriod(r.row, r.row.zone)} overlaps ${formatPeriod(clash, r.row.zone)} on line ${clash.line}; tiers of one period must have the same valid_from and valid_until`,
        );
        continue;
      }
      if (!seen.some((p) => p.from === r.row.from && p.until === r.row.until))
        seen.push({ from: r.row.from, until: r.row.until, line: r.row.line });
      periods.set(r.group, seen);
    }
    const replaced = new Set<string>();
    for (const r of rows)
      if (!refused.has(r)) replaced.add(`${r.group}\u0000${r.row.minQuantity}\u0000${r.row.from}`);
    let more = false;
    for (const r of rows) {
      if (refused.has(r)) continue;
      const clash = stored
        .get(r)
        ?.find((s) => !replaced.has(`${r.group}\u0000${s.minQuantity}\u0000${s.from}`));
      if (clash) {
        refusedByStore.set(
          r,
          `the period ${formatPeriod(r.row, r.row.zone)} overlaps the stored period ${formatPeriod(clash, r.row.zone)} (from ${clash.minQuantity} piece(s)); tiers of one period must have the same valid_from and valid_until`,
        );
        more = true;
      }
    }
    if (!more) return refused;
  }
}
