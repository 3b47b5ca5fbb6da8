import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import type { AssortmentRules } from './catalog.model';

export interface AssortmentProblem {
  /** Where in the rules, e.g. `includeCategories[1]`. */
  path: string;
  message: string;
}

export interface AssortmentCheck {
  errors: AssortmentProblem[];
  warnings: AssortmentProblem[];
}

/** A condition on a technical attribute: one of `in`, or a `min`/`max` range for numbers. */
export interface AssortmentAttributeFilter {
  attribute: string;
  in?: Array<string | number>;
  min?: number;
  max?: number;
}

/** What a site does with discontinued articles. */
export type DiscontinuedHandling = 'hide' | 'untilSoldOut' | 'show';

/** A tenant's assortment rules as declared in tenant.yaml. */
export interface AssortmentSpec extends AssortmentRules {
  attributeFilters?: AssortmentAttributeFilter[];
  discontinued?: DiscontinuedHandling;
}

/** Which part of the materialized assortment to recompute; omitted = all. */
export interface AssortmentScope {
  variantIds?: readonly number[];
  tenantIds?: readonly string[];
}

/**
 * Turns tenants' assortment rules into rows (tenant_variant, tenant_product) so that reads
 * never evaluate rules. A variant is in a tenant's assortment when
 * - its product's category lies in the subtree of an included category, or its SKU is included;
 * - its SKU is not excluded (exclusion wins);
 * - it satisfies every attribute filter;
 * - it is active, or discontinued and the tenant shows discontinued articles (always, or until
 *   its stock is sold).
 *
 * The rules live as data (tenant_assortment), so `refresh` re-materializes any set of variants
 * for every tenant in a few set-based statements: an import batch of 2,000 changed articles
 * updates all assortments without rebuilding any of them.
 */
@Injectable()
export class AssortmentService {
  constructor(private readonly db: TenantDb) {}

  /**
   * Checks rules against the catalog before anything is written. Unknown categories and
   * attributes are errors (a typo would silently empty a site); unknown SKUs are warnings,
   * because article numbers are often agreed before the ERP has exported them.
   */
  async check(rules: AssortmentSpec): Promise<AssortmentCheck> {
    const errors: AssortmentProblem[] = [];
    const warnings: AssortmentProblem[] = [];
    const cats = await this.db.query<{ slug: string }>(
      `SELECT slug FROM category WHERE slug = ANY($1::text[])`,
      [rules.includeCategories],
    );
    const known = new Set(cats.map((c) => c.slug));
    rules.includeCategories.forEach((slug, i) => {
      if (!known.has(slug))
        errors.push({ path: `includeCategories[${i}]`, message: `unknown category "${slug}"` });
    });
    for (const field of ['includeSkus', 'excludeSkus'] as const) {
      const skus = rules[field];
      if (skus.length === 0) continue;
      const found = await this.db.query<{ sku: string }>(
        `SELECT sku FROM variant WHERE sku = ANY($1::text[])`,
        [skus],
      );
      const have = new Set(found.map((r) => r.sku));
      skus.forEach((sku, i) => {
        if (!have.has(sku))
          warnings.push({
            path: `${field}[${i}]`,
            message: `no article "${sku}" in the catalog (yet)`,
          });
      });
    }
    const filters = rules.attributeFilters ?? [];
    if (filters.length) {
      const defs = await this.db.query<{
        code: string;
        type: string;
        enum_values: string[] | null;
      }>(`SELECT code, type, enum_values FROM attribute WHERE code = ANY($1::text[])`, [
        filters.map((f) => f.attribute),
      ]);
      const byCode = new Map(defs.map((d) => [d.code, d]));
      filters.forEach((f, i) => {
        const def = byCode.get(f.attribute);
        const path = `attributeFilters[${i}]`;
        if (!def) {
          errors.push({ path: `${path}.attribute`, message: `unknown attribute "${f.attribute}"` });
          return;
        }
        if ((f.min !== undefined || f.max !== undefined) && def.type !== 'NUMBER')
          errors.push({
            path,
            message: `min/max need a number attribute; "${f.attribute}" is ${def.type}`,
          });
        if (f.min !== undefined && f.max !== undefined && f.min > f.max)
          errors.push({ path, message: `min ${f.min} is above max ${f.max}` });
        if (def.type === 'ENUM' && f.in && def.enum_values) {
          const allowed = new Set(def.enum_values.map(String));
          f.in.forEach((v, j) => {
            if (!allowed.has(String(v)))
              errors.push({
                path: `${path}.in[${j}]`,
                message: `"${v}" is not a value of ${f.attribute} (${def.enum_values!.join(', ')})`,
              });
          });
        }
      });
    }
    return { errors, warnings };
  }

  /** Stores a tenant's rules and rebuilds its whole assortment, in the caller's unit of work. */
  async materialize(
    tenantId: string,
    rules: AssortmentSpec,
    em?: EntityManager,
  ): Promise<{ variants: number; products: number }> {
    const work = async (m: EntityManager) => {
      await this.save(m, tenantId, rules);
      await this.refresh(m, { tenantIds: [tenantId] });
      const [counts] = (await m.query(
        `SELECT (SELECT count(*)::int FROM tenant_variant WHERE tenant_id = $1) AS variants,
                (SELECT count(*)::int FROM tenant_product WHERE tenant_id = $1) AS products`,
        [tenantId],
      )) as Array<{ variants: number; products: number }>;
      return counts;
    };
    return em ? work(em) : this.db.maintenance(work);
  }

  /** Writes a tenant's rules as data (tenant_assortment). */
  async save(em: EntityManager, tenantId: string, rules: AssortmentSpec): Promise<void> {
    await em.query(
      `INSERT INTO tenant_assortment (tenant_id, include_categories, include_skus, exclude_skus, attribute_filters, discontinued)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (tenant_id) DO UPDATE SET include_categories = EXCLUDED.include_categories,
         include_skus = EXCLUDED.include_skus, exclude_skus = EXCLUDED.exclude_skus,
         attribute_filters = EXCLUDED.attribute_filters, discontinued = EXCLUDED.discontinued`,
      [
        tenantId,
        rules.includeCategories,
        rules.includeSkus.map((s) => s.trim().toUpperCase()),
        rules.excludeSkus.map((s) => s.trim().toUpperCase()),
        JSON.stringify(rules.attributeFilters ?? []),
        rules.discontinued ?? 'untilSoldOut',
      ],
    );
  }

  /**
   * Re-materializes the assortment of the given variants (all when omitted) for the given
   * tenants (all when omitted), in the caller's unit of work, which must be a maintenance unit
   * (`TenantDb.maintenance`) when it spans tenants. Cost grows with the variants in scope, not
   * with the catalog.
   */
  async refresh(em: EntityManager, scope: AssortmentScope = {}): Promise<void> {
    const variants = scope.variantIds ? [...scope.variantIds] : null;
    const tenants = scope.tenantIds ? [...scope.tenantIds] : null;
    if ((variants && variants.length === 0) || (tenants && tenants.length === 0)) return;

    // Products whose assortment rows may change: those the variants belonged to before…
    const removed = (await em.query(
      `DELETE FROM tenant_variant
       WHERE ($1::int[] IS NULL OR variant_id = ANY($1::int[]))
         AND ($2::uuid[] IS NULL OR tenant_id = ANY($2::uuid[]))
       RETURNING product_id`,
      [variants, tenants],
    )) as unknown;
    // TypeORM answers a DELETE … RETURNING on PostgreSQL with [rows, affected count].
    const removedRows = (
      Array.isArray(removed) && Array.isArray(removed[0]) ? removed[0] : removed
    ) as Array<{ product_id: number }>;

    await em.query(
      `WITH scope_tenant AS (
         SELECT * FROM tenant_assortment WHERE ($2::uuid[] IS NULL OR tenant_id = ANY($2::uuid[]))
       ),
       included_category AS (
         SELECT a.tenant_id, c.id AS category_id
         FROM scope_tenant a
         JOIN category ic ON ic.slug = ANY(a.include_categories)
         JOIN category c ON c.path = ic.path OR c.path LIKE ic.path || '/%'
       ),
       candidate AS (
         SELECT ic.tenant_id, v.id AS variant_id
         FROM included_category ic
         JOIN product p ON p.category_id = ic.category_id
         JOIN variant v ON v.product_id = p.id
         WHERE $1::int[] IS NULL OR v.id = ANY($1::int[])
         UNION
         SELECT a.tenant_id, v.id
         FROM scope_tenant a
         JOIN variant v ON v.sku = ANY(a.include_skus)
         WHERE $1::int[] IS NULL OR v.id = ANY($1::int[])
       )
       INSERT INTO tenant_variant (tenant_id, variant_id, product_id)
       SELECT c.tenant_id, v.id, v.product_id
       FROM candidate c
       JOIN scope_tenant a ON a.tenant_id = c.tenant_id
       JOIN variant v ON v.id = c.variant_id
       WHERE NOT (v.sku = ANY(a.exclude_skus))
         AND (v.status = 'ACTIVE' OR a.discontinued = 'show'
              OR (a.discontinued = 'untilSoldOut' AND v.stock_on_hand > 0))
         AND NOT EXISTS (
           SELECT 1 FROM jsonb_array_elements(a.attribute_filters) f
           WHERE NOT coalesce(
             (NOT (f ? 'in') OR (f->'in') @> (v.attributes->(f->>'attribute')))
             AND (NOT (f ? 'min') OR (jsonb_typeof(v.attributes->(f->>'attribute')) = 'number'
                  AND (v.attributes->>(f->>'attribute'))::numeric >= (f->>'min')::numeric))
             AND (NOT (f ? 'max') OR (jsonb_typeof(v.attributes->(f->>'attribute')) = 'number'
                  AND (v.attributes->>(f->>'attribute'))::numeric <= (f->>'max')::numeric)),
             false))`,
      [variants, tenants],
    );

    // …and those they belong to now. A full refresh (no variants given) recomputes every product.
    let products: number[] | null = null;
    if (variants) {
      const now = (await em.query(
        `SELECT DISTINCT product_id FROM variant WHERE id = ANY($1::int[])`,
        [variants],
      )) as Array<{ product_id: number }>;
      products = [...new Set([...removedRows, ...now].map((r) => r.product_id))];
    }
    await em.query(
      `DELETE FROM tenant_product
       WHERE ($1::int[] IS NULL OR product_id = ANY($1::int[]))
         AND ($2::uuid[] IS NULL OR tenant_id = ANY($2::uuid[]))`,
      [products, tenants],
    );
    await em.query(
      `INSERT INTO tenant_product (tenant_id, product_id, slug, category_id)
       SELECT DISTINCT tv.tenant_id, p.id, p.slug, p.category_id
       FROM tenant_variant tv JOIN product p ON p.id = tv.product_id
       WHERE ($1::int[] IS NULL OR tv.product_id = ANY($1::int[]))
         AND ($2::uuid[] IS NULL OR tv.tenant_id = ANY($2::uuid[]))`,
      [products, tenants],
    );
  }
}
