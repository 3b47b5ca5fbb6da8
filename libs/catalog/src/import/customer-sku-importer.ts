import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TenantDb } from '@vitrine/database';
import { TenantDirectory } from '@vitrine/tenancy';
import type { EntityManager } from 'typeorm';
import {
  checkCustomerSkuCsvHeader,
  validateCustomerSkuRow,
  type CustomerSkuRow,
} from './customer-sku-row';
import { runImport, type BatchOutcome } from './import-pipeline';
import { ImportError, type ImportOptions, type ImportResult, type RowReject } from './import.types';

/**
 * `vitrine import customer-skus <tenant>`: a key account's own article numbers for the seller's
 * SKUs. Per tenant one number per variant and one variant per number: a new number for a
 * variant replaces its old one. Written in the tenant's unit of work, so row-level security
 * guards every statement.
 */
@Injectable()
export class CustomerSkuImporter {
  constructor(
    private readonly db: TenantDb,
    private readonly directory: TenantDirectory,
  ) {}

  /** The tenant's id, or an ImportError (usage) when there is no such tenant. */
  async tenantId(slug: string): Promise<string> {
    const [tenant] = await this.db.query<{ id: string }>(`SELECT id FROM tenant WHERE slug = $1`, [
      slug,
    ]);
    if (!tenant) throw new ImportError(`unknown tenant "${slug}"`, 'usage');
    return tenant.id;
  }

  async import(
    tenantSlug: string,
    path: string,
    options: ImportOptions = {},
  ): Promise<ImportResult> {
    const tenantId = await this.tenantId(tenantSlug);
    const byCustomerSku = new Map<string, { line: number; sku: string }>();
    const bySku = new Map<string, { line: number; customerSku: string }>();
    const result = await runImport<CustomerSkuRow>(path, options, {
      checkHeader: checkCustomerSkuCsvHeader,
      skuOf: (row) => row.sku,
      toRow: (record, line) => {
        const v = validateCustomerSkuRow(record, line);
        if (!v.ok) return v.rejects;
        const { customerSku, sku } = v.row;
        const reject = (column: string, reason: string): RowReject[] => [
          { line, sku, column, reason },
        ];
        const other = byCustomerSku.get(customerSku);
        if (other)
          return other.sku === sku
            ? reject(
                'customer_sku',
                `duplicate: "${customerSku}" → ${sku} already on line ${other.line}`,
              )
            : reject(
                'customer_sku',
                `"${customerSku}" is mapped to ${other.sku} on line ${other.line}; one number, one article`,
              );
        const mapped = bySku.get(sku);
        if (mapped)
          return reject(
            'sku',
            `${sku} already has customer number "${mapped.customerSku}" on line ${mapped.line}; one number per article`,
          );
        byCustomerSku.set(customerSku, { line, sku });
        bySku.set(sku, { line, customerSku });
        return v.row;
      },
      commit: (rows) => this.db.run({ tenantId }, (em) => this.upsertBatch(em, tenantId, rows)),
    });
    // Customer numbers are on the tenant's cached pages (`Variant.customerSku`).
    if (result.created + result.updated > 0) await this.directory.bumpVersions([tenantId]);
    return result;
  }

  private async upsertBatch(
    em: EntityManager,
    tenantId: string,
    rows: CustomerSkuRow[],
  ): Promise<BatchOutcome> {
    const variants = new Map(
      (
        (await em.query(`SELECT id, sku FROM variant WHERE sku = ANY($1::text[])`, [
          rows.map((r) => r.sku),
        ])) as Array<{ id: number; sku: string }>
      ).map((v) => [v.sku, v.id]),
    );
    const rejects: RowReject[] = [];
    const known: Array<CustomerSkuRow & { variantId: number }> = [];
    for (const r of rows) {
      const variantId = variants.get(r.sku);
      if (variantId === undefined)
        rejects.push({ line: r.line, sku: r.sku, column: 'sku', reason: `unknown SKU "${r.sku}"` });
      else known.push({ ...r, variantId });
    }
    const current = (await em.query(
      `SELECT customer_sku, variant_id FROM customer_sku
       WHERE tenant_id = $1 AND (customer_sku = ANY($2::text[]) OR variant_id = ANY($3::int[]))`,
      [tenantId, known.map((r) => r.customerSku), known.map((r) => r.variantId)],
    )) as Array<{ customer_sku: string; variant_id: number }>;
    const numberOf = new Map(current.map((c) => [c.variant_id, c.customer_sku]));
    const variantOf = new Map(current.map((c) => [c.customer_sku, c.variant_id]));
    let created = 0;
    let updated = 0;
    const writes = known.filter((r) => {
      if (variantOf.get(r.customerSku) === r.variantId) return false;
      if (variantOf.has(r.customerSku) || numberOf.has(r.variantId)) updated++;
      else created++;
      return true;
    });
    if (writes.length > 0) {
      // Free both keys first: the number's old article and the article's old number.
      await em.query(
        `DELETE FROM customer_sku
         WHERE tenant_id = $1 AND (customer_sku = ANY($2::text[]) OR variant_id = ANY($3::int[]))`,
        [tenantId, writes.map((r) => r.customerSku), writes.map((r) => r.variantId)],
      );
      await em.query(
        `INSERT INTO customer_sku (tenant_id, customer_sku, variant_id, content_hash)
         SELECT $1::uuid, * FROM unnest($2::text[], $3::int[], $4::text[])`,
        [
          tenantId,
          writes.map((r) => r.customerSku),
          writes.map((r) => r.variantId),
          writes.map((r) =>
            createHash('sha1').update(`${r.customerSku}\u0000${r.sku}`).digest('hex'),
          ),
        ],
      );
    }
    return { created, updated, unchanged: known.length - writes.length, rejects };
  }
}
