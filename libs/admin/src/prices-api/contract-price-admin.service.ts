import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import {
  PriceChangeService,
  PriceImporter,
  sqlInstant,
  type PriceDictionary,
} from '@vitrine/pricing';
import { TenantDirectory, type AdminIdentity, type TenantSnapshot } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { AuditedChanges } from '../audit';
import {
  checkCallSize,
  checkFirst,
  decodePriceCursor,
  edgeMs,
  firstKeys,
  parseKeys,
  refusal,
  writePricesOrRefuse,
  validatePrices,
} from './price-input';
import { pricePage, unknownSkus, type StoredPriceRow } from './price-rows';
import type {
  AdminPriceConnectionType,
  AdminPriceInput,
  AdminPriceKeyInput,
  PriceSetResultType,
} from './price-admin.types';

const AREA = 'PRICES';

type ContractAudit = Record<string, unknown> | null;

/**
 * A company's contract prices for the seller's admins (area PRICES, authorized with the
 * company's tenant). Everything runs in the tenant's unit of work, so row-level security keeps
 * another tenant's companies and prices out of reach even where a filter were forgotten: a
 * company code of another tenant is NOT_FOUND. Prices are validated and written by the price
 * import's rules and writer (currency = the tenant's, dates in the tenant's zone, no overlapping
 * periods), all or nothing per call; a change bumps the tenant's version in its transaction and
 * is published after the commit. Every change is audited (APPLIED / REFUSED).
 */
@Injectable()
export class ContractPriceAdminService {
  constructor(
    private readonly db: TenantDb,
    private readonly directory: TenantDirectory,
    private readonly gate: AdminGate,
    private readonly changes: AuditedChanges,
    private readonly importer: PriceImporter,
    private readonly prices: PriceChangeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    admin: AdminIdentity,
    slug: string,
    code: string,
    options: { sku: string | null; first: number; after: string | null },
  ): Promise<AdminPriceConnectionType> {
    const tenant = await this.gate.tenant(admin, AREA, slug, 'contract-price.list', code);
    const first = checkFirst(options.first, this.config.graphql.maxFirst);
    const after = options.after ? decodePriceCursor(options.after) : null;
    const rows = await this.db.run({ tenantId: tenant.id }, async (em) => {
      const company = await this.company(em, tenant, code);
      return (await em.query(
        `SELECT v.sku, c.min_quantity, c.amount_minor::text AS amount, ${edgeMs('c.valid_from')}::text AS f,
                ${edgeMs('c.valid_until')}::text AS u
           FROM contract_price c JOIN variant v ON v.id = c.variant_id
          WHERE c.tenant_id = $1 AND c.company_id = $2 AND ($3::text IS NULL OR v.sku = upper(trim($3)))
            AND ($4::text IS NULL OR (v.sku, c.min_quantity, c.valid_from) > ($4, $5::int, $6::timestamptz))
          ORDER BY v.sku, c.min_quantity, c.valid_from LIMIT $7`,
        [
          tenant.id,
          company,
          options.sku,
          after?.[0] ?? null,
          after?.[1] ?? null,
          after?.[2] ?? null,
          first + 1,
        ],
      )) as StoredPriceRow[];
    });
    return pricePage(rows, first, tenant.currency);
  }

  /** Upserts a company's prices by (sku, minQuantity, validFrom), all or nothing. */
  async setPrices(
    admin: AdminIdentity,
    slug: string,
    code: string,
    prices: readonly AdminPriceInput[],
  ): Promise<PriceSetResultType> {
    return this.change(admin, slug, code, 'contract-price.set', async (tenant, audit) => {
      checkCallSize(prices.length, 'prices');
      const dict: PriceDictionary = {
        tenants: new Map([
          [
            tenant.slug,
            {
              id: tenant.id,
              slug: tenant.slug,
              currency: tenant.currency,
              timeZone: tenant.timeZone,
            },
          ],
        ]),
        priceLists: new Map(),
        installationTimeZone: tenant.timeZone,
      };
      const owner = { type: 'contract' as const, tenant: tenant.slug, company: code };
      const { rows, problems } = validatePrices(prices, owner, dict);
      const { result, tenantIds } = await this.db.run({ tenantId: tenant.id }, async (em) => {
        const companyId = await this.company(em, tenant, code, true);
        if (problems.length) throw refusal(problems, 'The contract prices were refused');
        const before = rows.length ? await this.count(em, tenant.id, companyId) : 0;
        const { result, tenantIds } = await writePricesOrRefuse(
          this.importer,
          em,
          rows,
          'The contract prices were refused',
        );
        if (result.created + result.updated > 0)
          await audit(
            em,
            { prices: before },
            {
              prices: before + result.created,
              ...result,
              keys: firstKeys(
                rows.map((r) => ({ sku: r.sku, minQuantity: r.minQuantity, from: r.from })),
                tenant.timeZone,
              ),
            },
          );
        return { result, tenantIds };
      });
      await this.prices.publish(tenantIds);
      return result;
    });
  }

  /** Removes a company's prices by key; answers how many were stored (and are now gone). */
  async removePrices(
    admin: AdminIdentity,
    slug: string,
    code: string,
    keys: readonly AdminPriceKeyInput[],
  ): Promise<number> {
    return this.change(admin, slug, code, 'contract-price.remove', async (tenant, audit) => {
      checkCallSize(keys.length, 'keys');
      const parsed = parseKeys(keys, tenant.timeZone);
      const { removed, tenantIds } = await this.db.run({ tenantId: tenant.id }, async (em) => {
        const companyId = await this.company(em, tenant, code, true);
        if (parsed.problems.length) throw refusal(parsed.problems, 'The keys were refused');
        const unknown = await unknownSkus(
          em,
          parsed.keys.map((k) => k.sku),
        );
        if (unknown.length)
          throw refusal(
            unknown.map((sku) => ({ path: 'keys', message: `unknown SKU "${sku}"` })),
            'The keys were refused',
          );
        const before = await this.count(em, tenant.id, companyId);
        const removed = returnedRows(
          await em.query(
            `DELETE FROM contract_price c USING (
               SELECT v.id AS v, x.q, x.f FROM unnest($3::text[], $4::int[], $5::timestamptz[]) AS x(sku, q, f)
               JOIN variant v ON v.sku = x.sku) k
             WHERE c.tenant_id = $1 AND c.company_id = $2 AND c.variant_id = k.v
               AND c.min_quantity = k.q AND c.valid_from = k.f
             RETURNING 1 AS n`,
            [
              tenant.id,
              companyId,
              parsed.keys.map((k) => k.sku),
              parsed.keys.map((k) => k.minQuantity),
              parsed.keys.map((k) => sqlInstant(k.from)),
            ],
          ),
        ).length;
        if (removed === 0) return { removed, tenantIds: [] as string[] };
        const bumped = await this.prices.record(em, { tenantIds: [tenant.id] });
        await audit(
          em,
          { prices: before },
          {
            prices: before - removed,
            removed,
            keys: firstKeys(parsed.keys, tenant.timeZone),
          },
        );
        return { removed, tenantIds: bumped };
      });
      await this.prices.publish(tenantIds);
      return removed;
    });
  }

  // -------------------------------------------------------------------------------------------

  /** The company's id; NOT_FOUND when the tenant has no company with that code. */
  private async company(
    em: EntityManager,
    tenant: TenantSnapshot,
    code: string,
    lock = false,
  ): Promise<string> {
    const [row] = (await em.query(
      `SELECT id FROM company WHERE tenant_id = $1 AND code = $2${lock ? ' FOR UPDATE' : ''}`,
      [tenant.id, code],
    )) as Array<{ id: string }>;
    if (!row) throw VitrineError.notFound(`Tenant "${tenant.slug}" has no company "${code}".`);
    return row.id;
  }

  private async count(em: EntityManager, tenantId: string, companyId: string): Promise<number> {
    const [row] = (await em.query(
      `SELECT count(*)::int AS n FROM contract_price WHERE tenant_id = $1 AND company_id = $2`,
      [tenantId, companyId],
    )) as Array<{ n: number }>;
    return row.n;
  }

  /**
   * One audited change of a company's prices: the tenant (NOT_FOUND if unknown) is authorized
   * in area PRICES before anything else; `work` logs what it applied in its transaction.
   */
  private async change<R>(
    admin: AdminIdentity,
    slug: string,
    code: string,
    action: string,
    work: (
      tenant: TenantSnapshot,
      audit: (em: EntityManager, before: ContractAudit, after: ContractAudit) => Promise<void>,
    ) => Promise<R>,
  ): Promise<R> {
    let result!: R;
    await this.changes.run<ContractAudit>(
      { admin, area: AREA, action, target: `${slug}/${code}`, summarize: (s) => s },
      async (hooks) => {
        const tenant = await this.directory.findBySlug(slug.trim().toLowerCase());
        if (!tenant) throw VitrineError.notFound(`There is no tenant "${slug}".`);
        hooks.authorize(tenant.id);
        result = await work(tenant, (em, before, after) =>
          hooks.applied(em, { tenantId: tenant.id, before, after }),
        );
        return null;
      },
    );
    return result;
  }
}
