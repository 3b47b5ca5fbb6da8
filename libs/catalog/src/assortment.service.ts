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

/**
 * Turns a tenant's assortment rules into rows (tenant_variant, tenant_product) so that reads
 * never evaluate rules: a variant is in the assortment when it is active and its product's
 * category is in the subtree of an included category or its SKU is included — unless its SKU
 * is excluded. Exclusion wins.
 */
@Injectable()
export class AssortmentService {
  constructor(private readonly db: TenantDb) {}

  /**
   * Checks rules against the catalog before anything is written. Unknown categories are errors
   * (a typo would silently empty a site); unknown SKUs are warnings, because article numbers
   * are often agreed before the ERP has exported them.
   */
  async check(rules: AssortmentRules): Promise<AssortmentCheck> {
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
    return { errors, warnings };
  }

  /** Rebuilds one tenant's assortment inside the caller's unit of work (or its own). */
  async materialize(
    tenantId: string,
    rules: AssortmentRules,
    em?: EntityManager,
  ): Promise<{ variants: number; products: number }> {
    const work = async (m: EntityManager) => {
      await m.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await m.query(`DELETE FROM tenant_variant WHERE tenant_id = $1`, [tenantId]);
      await m.query(`DELETE FROM tenant_product WHERE tenant_id = $1`, [tenantId]);
      const paths = (await m.query(`SELECT path FROM category WHERE slug = ANY($1::text[])`, [
        rules.includeCategories,
      ])) as Array<{ path: string }>;
      const exact = paths.map((p) => p.path);
      const prefixes = exact.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`);
      await m.query(
        `INSERT INTO tenant_variant (tenant_id, variant_id, product_id)
         SELECT $1, v.id, v.product_id
         FROM variant v JOIN product p ON p.id = v.product_id LEFT JOIN category c ON c.id = p.category_id
         WHERE v.status = 'ACTIVE'
           AND (c.path = ANY($2::text[]) OR c.path LIKE ANY($3::text[]) OR v.sku = ANY($4::text[]))
           AND NOT (v.sku = ANY($5::text[]))`,
        [tenantId, exact, prefixes, rules.includeSkus, rules.excludeSkus],
      );
      await m.query(
        `INSERT INTO tenant_product (tenant_id, product_id, slug, category_id)
         SELECT DISTINCT $1::uuid, p.id, p.slug, p.category_id
         FROM tenant_variant tv JOIN product p ON p.id = tv.product_id WHERE tv.tenant_id = $1`,
        [tenantId],
      );
      const [counts] = (await m.query(
        `SELECT (SELECT count(*)::int FROM tenant_variant WHERE tenant_id = $1) AS variants,
                (SELECT count(*)::int FROM tenant_product WHERE tenant_id = $1) AS products`,
        [tenantId],
      )) as Array<{ variants: number; products: number }>;
      return counts;
    };
    return em ? work(em) : this.db.run({ tenantId }, work);
  }
}
