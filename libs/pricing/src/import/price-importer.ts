import { Injectable, Logger } from '@nestjs/common';
import {
  runImport,
  type BatchOutcome,
  type ImportOptions,
  type ImportResult,
  type RowReject,
} from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import type { EntityManager } from 'typeorm';
import { minorFromDb } from '../money';
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
import {
  formatPeriod,
  INSTALLATION_TIME_ZONE,
  overlaps,
  sqlInstant,
  type Period,
} from './validity';

/** Rows per transaction unless `--batch-size` says otherwise: price rows are small. */
export const PRICE_BATCH_SIZE = 10_000;

/** SKUs whose variant ids are kept between batches (about 80 bytes each). */
const VARIANT_CACHE = 200_000;

/** Tables a price import writes, analyzed after a load (PGlite has no autovacuum). */
const IMPORTED_TABLES = ['list_price', 'price_list_entry', 'contract_price'];

export interface PriceImportOptions extends ImportOptions {
  /** Zone in which price-list dates begin; default INSTALLATION_TIME_ZONE. */
  installationTimeZone?: string;
}

/** Ids resolved in earlier batches of one import. */
interface ImportCache {
  /** tenant id + company code → company id; companies are few and rarely change. */
  companies: Map<string, string>;
  /** SKU → variant id: a price file names the same articles for many companies and tiers. */
  variants: Map<string, number>;
}

/** A row whose SKU (and company, list) the batch resolved to ids. */
interface Resolved {
  row: PriceRow;
  variantId: number;
  /** price_list_id or company id; null for list prices */
  ownerId: number | string | null;
  group: string;
}

/** A stored price of a row's list and article (or company and article) whose period overlaps the row's. */
export interface StoredPrice {
  minQuantity: number;
  from: number;
  until: number;
  amountMinor: number;
  currency: string;
}

/**
 * `vitrine import prices`: list prices, price-list entries and contract prices from one CSV or
 * NDJSON file, through the catalog's import pipeline (batches, one transaction each, reject
 * file, exit codes).
 *
 * Per batch a handful of statements, none per row: SKUs, companies and lists are resolved with
 * one query each (SKUs and companies cached between batches); one query per kind fetches the
 * stored prices whose periods overlap the rows' (the period check, and which rows are new,
 * changed or unchanged); then one unnest INSERT for new keys and one UPDATE for changed ones.
 * Unchanged rows are not written at all, so importing the same file again writes nothing. List
 * prices, which have no periods, are upserted (`ON CONFLICT … WHERE values differ`).
 *
 * After each batch that changed prices the affected tenants' versions are bumped in the same
 * transaction and, after the commit, published, so the next request sees the new prices.
 */
@Injectable()
export class PriceImporter {
  private readonly log = new Logger('PriceImporter');

  constructor(
    private readonly db: TenantDb,
    private readonly changes: PriceChangeService,
  ) {}

  async import(path: string, options: PriceImportOptions = {}): Promise<ImportResult> {
    const dict = await this.dictionary(options.installationTimeZone ?? INSTALLATION_TIME_ZONE);
    const keys = new KeyIndex();
    const cache: ImportCache = { companies: new Map(), variants: new Map() };
    // Tenants whose caches must be dropped: published after every batch; one that could not be
    // (the shared cache unreachable) is retried with the next batch and at the end.
    const unpublished = new Set<string>();
    const publish = async (final: boolean) => {
      if (unpublished.size === 0) return;
      const ids = [...unpublished];
      try {
        await this.changes.publish(ids);
        for (const id of ids) unpublished.delete(id);
      } catch (err) {
        if (final) throw err;
        this.log.warn(`Price change not published yet, will retry: ${(err as Error).message}`);
      }
    };
    let result: ImportResult;
    try {
      result = await runImport<PriceRow>(
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
              this.writeBatch(em, rows, cache),
            );
            for (const id of tenantIds) unpublished.add(id);
            await publish(false);
            return outcome;
          },
        },
      );
    } catch (err) {
      await publish(false);
      throw err;
    }
    await publish(true);
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

  /**
   * Writes validated rows in the caller's transaction, as one batch of an import: unknown SKUs
   * and companies, currency and period conflicts come back as rejects (nothing else is
   * refused), the affected tenants' versions are bumped in the transaction and returned for
   * `PriceChangeService.publish` after the commit. The admin API uses it so that a price set
   * through the API obeys exactly the import's rules; it rolls back when anything is rejected.
   * Contract rows of one tenant may run in that tenant's unit of work; price-list rows need a
   * maintenance one (the version bump reads every tenant's use of the list).
   */
  writeRows(
    em: EntityManager,
    rows: PriceRow[],
  ): Promise<{ outcome: BatchOutcome; tenantIds: string[] }> {
    return this.writeBatch(em, rows, { companies: new Map(), variants: new Map() });
  }

  /** Writes one batch in the caller's (maintenance) transaction. */
  private async writeBatch(
    em: EntityManager,
    rows: PriceRow[],
    cache: ImportCache,
  ): Promise<{ outcome: BatchOutcome; tenantIds: string[] }> {
    const rejects: RowReject[] = [];
    const reject = (row: PriceRow, column: string, reason: string) =>
      rejects.push({ line: row.line, sku: row.sku, column, reason });

    const variants = await this.variantIds(em, rows, cache.variants);
    const lists = await this.priceListIds(em, rows);
    const companies = await this.companyIds(em, rows, cache.companies);

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

    // Validity: no overlaps within a list and article (or a company and article); what is
    // stored tells which rows are new, changed or unchanged.
    const timed = resolved.filter((r) => r.row.type !== 'list');
    const stored = await this.storedPrices(em, timed);
    const refused = checkPeriods(timed, stored);
    for (const [r, reason] of refused) reject(r.row, 'valid_from', reason);
    const inserts: Resolved[] = [];
    const updates: Resolved[] = [];
    for (const r of timed) {
      if (refused.has(r)) continue;
      const same = stored
        .get(r)
        ?.find((s) => s.minQuantity === r.row.minQuantity && s.from === r.row.from);
      if (!same) inserts.push(r);
      else if (
        same.until !== r.row.until ||
        same.amountMinor !== r.row.amountMinor ||
        same.currency !== r.row.currency
      )
        updates.push(r);
      // else: stored as it is, nothing to write
    }
    await this.createPriceLists(
      em,
      inserts.filter((r) => r.row.type === 'price_list' && r.ownerId === null),
    );

    let created = 0;
    let updated = 0;
    const listRows = resolved.filter((r) => r.row.type === 'list');
    let listPrices = false;
    if (listRows.length > 0) {
      const [w] = (await em.query(
        `WITH w AS (
           INSERT INTO list_price (variant_id, currency, amount_minor)
           SELECT * FROM unnest($1::int[], $2::text[], $3::bigint[])
           ON CONFLICT (variant_id, currency) DO UPDATE SET amount_minor = EXCLUDED.amount_minor
           WHERE list_price.amount_minor IS DISTINCT FROM EXCLUDED.amount_minor
           RETURNING (xmax = 0) AS inserted)
         SELECT count(*) FILTER (WHERE inserted)::int AS created,
                count(*) FILTER (WHERE NOT inserted)::int AS updated FROM w`,
        [
          pgArray(listRows.map((r) => r.variantId)),
          pgArray(listRows.map((r) => r.row.currency)),
          pgArray(listRows.map((r) => r.row.amountMinor)),
        ],
      )) as Array<{ created: number; updated: number }>;
      created += w.created;
      updated += w.updated;
      listPrices = w.created + w.updated > 0;
    }

    // Price-list entries and contract prices: new keys are inserted, changed ones updated
    // (a key written concurrently since the lookup fails the batch, which is then retried
    // row by row and finds it).
    const priceListIds = new Set<number>();
    const tenantIds = new Set<string>();
    for (const [kind, list] of [
      ['insert', inserts],
      ['update', updates],
    ] as const) {
      const entries = list.filter((r) => r.row.type === 'price_list');
      if (entries.length > 0) {
        const n = await this.writeEntries(em, kind, entries);
        if (kind === 'insert') created += n;
        else updated += n;
        if (n > 0) for (const r of entries) priceListIds.add(r.ownerId as number);
      }
      const contracts = list.filter((r) => r.row.type === 'contract');
      if (contracts.length > 0) {
        const n = await this.writeContracts(em, kind, contracts);
        if (kind === 'insert') created += n;
        else updated += n;
        if (n > 0) for (const r of contracts) tenantIds.add(r.row.tenantId!);
      }
    }
    const written = created + updated;
    const bumped = await this.changes.record(em, {
      listPrices,
      priceListIds: [...priceListIds],
      tenantIds: [...tenantIds],
    });
    return {
      outcome: { created, updated, unchanged: resolved.length - refused.size - written, rejects },
      tenantIds: bumped,
    };
  }

  /** Inserts new or updates changed price-list entries; returns how many rows it wrote. */
  private async writeEntries(
    em: EntityManager,
    kind: 'insert' | 'update',
    rows: Resolved[],
  ): Promise<number> {
    const p = new Periods();
    const params = [
      pgArray(rows.map((r) => r.ownerId as number)),
      pgArray(rows.map((r) => r.variantId)),
      pgArray(rows.map((r) => r.row.minQuantity)),
      pgArray(rows.map((r) => p.index(r.row))),
      pgArray(rows.map((r) => r.row.amountMinor)),
      ...p.params(),
    ];
    const x = `SELECT l, v, q, ($6::timestamptz[])[pi] AS f, ($7::timestamptz[])[pi] AS u, a
      FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::bigint[]) AS x(l, v, q, pi, a)`;
    const [w] = (await em.query(
      kind === 'insert'
        ? `WITH w AS (
             INSERT INTO price_list_entry (price_list_id, variant_id, min_quantity, valid_from, valid_until, amount_minor)
             ${x} RETURNING 1)
           SELECT count(*)::int AS n FROM w`
        : `WITH w AS (
             UPDATE price_list_entry e SET valid_until = x.u, amount_minor = x.a, updated_at = now()
             FROM (${x}) AS x
             WHERE e.price_list_id = x.l AND e.variant_id = x.v AND e.min_quantity = x.q
               AND e.valid_from = x.f AND (e.valid_until, e.amount_minor) IS DISTINCT FROM (x.u, x.a)
             RETURNING 1)
           SELECT count(*)::int AS n FROM w`,
      params,
    )) as Array<{ n: number }>;
    return w.n;
  }

  /**
   * Inserts new or updates changed contract prices; returns how many rows it wrote. Company
   * and period are sent once each and referenced by index, so the per-row arrays hold numbers
   * only (parsing uuids and timestamps for every row was a good part of a batch's cost).
   */
  private async writeContracts(
    em: EntityManager,
    kind: 'insert' | 'update',
    rows: Resolved[],
  ): Promise<number> {
    const owners = new Indexer<string>();
    const p = new Periods();
    const params = [
      pgArray(rows.map((r) => owners.index(r.ownerId as string, r))),
      pgArray(rows.map((r) => r.variantId)),
      pgArray(rows.map((r) => r.row.minQuantity)),
      pgArray(rows.map((r) => p.index(r.row))),
      pgArray(rows.map((r) => r.row.amountMinor)),
      pgArray(owners.values.map((r) => r.row.tenantId!)),
      pgArray(owners.keys),
      pgArray(owners.values.map((r) => r.row.currency)),
      ...p.params(),
    ];
    const x = `SELECT ($6::uuid[])[oi] AS t, ($7::uuid[])[oi] AS co, v, q,
        ($9::timestamptz[])[pi] AS f, ($10::timestamptz[])[pi] AS u, a, ($8::text[])[oi] AS cur
      FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::bigint[]) AS x(oi, v, q, pi, a)`;
    const [w] = (await em.query(
      kind === 'insert'
        ? `WITH w AS (
             INSERT INTO contract_price (tenant_id, company_id, variant_id, min_quantity, valid_from, valid_until, amount_minor, currency)
             ${x} RETURNING 1)
           SELECT count(*)::int AS n FROM w`
        : `WITH w AS (
             UPDATE contract_price c SET valid_until = x.u, amount_minor = x.a, currency = x.cur, updated_at = now()
             FROM (${x}) AS x
             WHERE c.tenant_id = x.t AND c.company_id = x.co AND c.variant_id = x.v
               AND c.min_quantity = x.q AND c.valid_from = x.f
               AND (c.valid_until, c.amount_minor, c.currency) IS DISTINCT FROM (x.u, x.a, x.cur)
             RETURNING 1)
           SELECT count(*)::int AS n FROM w`,
      params,
    )) as Array<{ n: number }>;
    return w.n;
  }

  /** Variant ids by SKU: from the cache, the rest with one query. */
  private async variantIds(
    em: EntityManager,
    rows: PriceRow[],
    cache: Map<string, number>,
  ): Promise<Map<string, number>> {
    const missing = new Set<string>();
    for (const r of rows) if (!cache.has(r.sku)) missing.add(r.sku);
    if (missing.size > 0) {
      const found = (await em.query(`SELECT id, sku FROM variant WHERE sku = ANY($1::text[])`, [
        [...missing],
      ])) as Array<{ id: number; sku: string }>;
      if (cache.size + found.length > VARIANT_CACHE) cache.clear();
      for (const v of found) cache.set(v.sku, v.id);
    }
    return cache;
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
  private async companyIds(
    em: EntityManager,
    rows: PriceRow[],
    cache: Map<string, string>,
  ): Promise<Map<string, string>> {
    const missing = new Map<string, [string, string]>();
    for (const r of rows) {
      if (r.type !== 'contract') continue;
      const key = `${r.tenantId}\u0000${r.company}`;
      if (!cache.has(key) && !missing.has(key)) missing.set(key, [r.tenantId!, r.company!]);
    }
    if (missing.size > 0) {
      const pairs = [...missing.values()];
      const found = (await em.query(
        `SELECT c.tenant_id, c.code, c.id FROM company c
         JOIN unnest($1::uuid[], $2::text[]) AS x(tenant_id, code)
           ON c.tenant_id = x.tenant_id AND c.code = x.code`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      )) as Array<{ tenant_id: string; code: string; id: string }>;
      if (cache.size > 100_000) cache.clear();
      for (const c of found) cache.set(`${c.tenant_id}\u0000${c.code}`, c.id);
    }
    return cache;
  }

  /**
   * Stored prices of the same list and article (or company and article) whose period overlaps
   * a row's: other periods (conflicts) and the row's own key (to tell new, changed and
   * unchanged rows apart). One query per kind for the batch, probing each distinct
   * (group, period) once, since tiers share a period.
   */
  private async storedPrices(
    em: EntityManager,
    rows: Resolved[],
  ): Promise<Map<Resolved, StoredPrice[]>> {
    const out = new Map<Resolved, StoredPrice[]>();
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
      const groups = [...probes.values()];
      const heads = groups.map((l) => l[0]);
      const owners = new Indexer<string | number>();
      const p = new Periods();
      const params = [
        pgArray(heads.map((r) => owners.index(r.ownerId!, r))),
        pgArray(heads.map((r) => r.variantId)),
        pgArray(heads.map((r) => p.index(r.row))),
        ...p.params(),
        pgArray(owners.keys),
      ];
      // b: the probes, with owner and period looked up by index ($1, $3) in $6 and $4/$5.
      const probeRows = `unnest($1::int[], $2::int[], $3::int[]) WITH ORDINALITY AS x(oi, v, pi, i)`;
      const found = (await em.query(
        kind === 'contract'
          ? `SELECT b.i, c.min_quantity AS q, c.amount_minor AS a, c.currency AS cur,
               extract(epoch FROM c.valid_from) * 1000 AS f, extract(epoch FROM c.valid_until) * 1000 AS u
             FROM (SELECT ($7::uuid[])[oi] AS t, ($6::uuid[])[oi] AS o, v,
                     ($4::timestamptz[])[pi] AS f, ($5::timestamptz[])[pi] AS u, i FROM ${probeRows}) b
             JOIN contract_price c ON c.tenant_id = b.t AND c.company_id = b.o AND c.variant_id = b.v
             WHERE c.valid_from < b.u AND b.f < c.valid_until`
          : `SELECT b.i, e.min_quantity AS q, e.amount_minor AS a, NULL AS cur,
               extract(epoch FROM e.valid_from) * 1000 AS f, extract(epoch FROM e.valid_until) * 1000 AS u
             FROM (SELECT ($6::int[])[oi] AS o, v,
                     ($4::timestamptz[])[pi] AS f, ($5::timestamptz[])[pi] AS u, i FROM ${probeRows}) b
             JOIN price_list_entry e ON e.price_list_id = b.o AND e.variant_id = b.v
             WHERE e.valid_from < b.u AND b.f < e.valid_until`,
        kind === 'contract'
          ? [...params, pgArray(owners.values.map((r) => r.row.tenantId!))]
          : params,
      )) as Array<{ i: string; q: number; a: string; cur: string | null; f: string; u: string }>;
      for (const s of found) {
        const group = groups[Number(s.i) - 1];
        const price: StoredPrice = {
          minQuantity: Number(s.q),
          from: Number(s.f),
          until: Number(s.u),
          amountMinor: minorFromDb(s.a),
          // Price-list entries are in their list's currency, which the rows were checked against.
          currency: s.cur?.trim() ?? group[0].row.currency,
        };
        for (const r of group) {
          const list = out.get(r);
          if (list) list.push(price);
          else out.set(r, [price]);
        }
      }
    }
    return out;
  }
}

/**
 * A PostgreSQL array literal (`{1,2,3}`) of values that need no quoting: numbers, uuids,
 * instants (`2027-01-01T00:00:00.000Z`, `-infinity`) and currency codes. Much cheaper than the
 * driver's element-by-element escaping for batches of thousands.
 */
function pgArray(values: ReadonlyArray<string | number>): string {
  return `{${values.join(',')}}`;
}

/** Distinct values of a batch, numbered from 1 (SQL arrays), with the row that brought each. */
class Indexer<K> {
  readonly keys: K[] = [];
  readonly values: Resolved[] = [];
  private readonly ids = new Map<K, number>();

  index(key: K, row: Resolved): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.keys.push(key);
      this.values.push(row);
      id = this.keys.length;
      this.ids.set(key, id);
    }
    return id;
  }
}

/** The distinct periods of a batch (usually one or two), numbered from 1, as two timestamptz arrays. */
class Periods {
  private readonly from: number[] = [];
  private readonly until: number[] = [];

  index(p: Period): number {
    for (let i = 0; i < this.from.length; i++)
      if (this.from[i] === p.from && this.until[i] === p.until) return i + 1;
    this.from.push(p.from);
    this.until.push(p.until);
    return this.from.length;
  }

  params(): [string, string] {
    return [pgArray(this.from.map(sqlInstant)), pgArray(this.until.map(sqlInstant))];
  }
}

const samePeriod = (a: Period, b: Period) => a.from === b.from && a.until === b.until;

/**
 * Rows whose period overlaps another period of the same group without being the same period
 * (tiers of one period share it exactly): an earlier row of the batch, or a stored price that
 * no accepted row of the batch replaces (same tier and valid_from). Earlier batches of the
 * file are stored already. Refusing a row can expose a stored price it would have replaced,
 * so a group is checked again until nothing more is refused.
 */
export function checkPeriods(
  rows: readonly Resolved[],
  stored: ReadonlyMap<Resolved, ReadonlyArray<Period & { minQuantity: number }>>,
): Map<Resolved, string> {
  const groups = new Map<string, Resolved[]>();
  for (const r of rows) {
    const g = groups.get(r.group);
    if (g) g.push(r);
    else groups.set(r.group, [r]);
  }
  const out = new Map<Resolved, string>();
  for (const group of groups.values()) {
    const byStore = new Map<Resolved, string>();
    for (;;) {
      const refused = new Map(byStore);
      const accepted: Resolved[] = [];
      for (const r of group) {
        if (refused.has(r)) continue;
        const clash = accepted.find((a) => !samePeriod(a.row, r.row) && overlaps(a.row, r.row));
        if (clash)
          refused.set(
            r,
            `the period ${formatPeriod(r.row, r.row.zone)} overlaps ${formatPeriod(clash.row, r.row.zone)} on line ${clash.row.line}; tiers of one period must have the same valid_from and valid_until`,
          );
        else accepted.push(r);
      }
      let more = false;
      for (const r of accepted) {
        const clash = stored
          .get(r)
          ?.find(
            (s) =>
              !samePeriod(s, r.row) &&
              overlaps(s, r.row) &&
              !accepted.some((a) => a.row.minQuantity === s.minQuantity && a.row.from === s.from),
          );
        if (clash) {
          byStore.set(
            r,
            `the period ${formatPeriod(r.row, r.row.zone)} overlaps the stored period ${formatPeriod(clash, r.row.zone)} (from ${clash.minQuantity} piece(s)); tiers of one period must have the same valid_from and valid_until`,
          );
          more = true;
        }
      }
      if (!more) {
        for (const [r, reason] of refused) out.set(r, reason);
        break;
      }
    }
  }
  return out;
}
