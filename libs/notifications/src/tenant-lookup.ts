import { Inject, Injectable } from '@nestjs/common';
import { isAbsolute, join, relative } from 'node:path';
import { APP_CONFIG, siteOrigin, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { TenantDirectory, type TenantSnapshot } from '@vitrine/tenancy';
import type { MailTenant } from './mail/mail-renderer';

/** Safety net should a change message ever be missed (as for the tenant directory). */
const FRESH_MS = 60_000;

/**
 * The tenant of an outbox event, as fresh as the storefront sees it: snapshots by id, dropped
 * whenever any tenant changes (the directory's change notification, which also carries changes
 * made by other instances and the CLI) and after a minute at most. A retried event is sent with
 * the theme and ERP settings of the moment it goes out, and a tenant whose settings were fixed
 * after a failure is picked up by the retry. Reading the tenant for every delivery cost two
 * statements per order.
 */
@Injectable()
export class TenantLookup {
  private readonly slugs = new Map<string, string>();
  private readonly snapshots = new Map<string, { tenant: TenantSnapshot; at: number }>();
  private changes = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TenantDb,
    private readonly directory: TenantDirectory,
  ) {
    directory.onChange(() => {
      this.changes++;
      this.snapshots.clear();
    });
  }

  async snapshot(tenantId: string): Promise<TenantSnapshot> {
    const hit = this.snapshots.get(tenantId);
    if (hit && Date.now() - hit.at < FRESH_MS) return hit.tenant;
    const changes = this.changes;
    let slug = this.slugs.get(tenantId);
    if (!slug) {
      const [row] = await this.db.query<{ slug: string }>(`SELECT slug FROM tenant WHERE id = $1`, [
        tenantId,
      ]);
      if (!row) throw new Error(`tenant ${tenantId} does not exist`);
      slug = row.slug;
      this.slugs.set(tenantId, slug);
    }
    const tenant = await this.directory.findBySlug(slug);
    if (!tenant) throw new Error(`tenant ${slug} does not exist`);
    // A change that arrived while this was read must not be overwritten with what was read.
    if (changes === this.changes) this.snapshots.set(tenantId, { tenant, at: Date.now() });
    return tenant;
  }

  /** The site's public origin, e.g. https://shop.jansenbouw.example. */
  siteUrl(tenant: TenantSnapshot): string {
    const domain = tenant.domains[0];
    if (!domain) throw new Error(`tenant ${tenant.slug} has no domain to link to`);
    return siteOrigin(this.config, domain);
  }

  mailTenant(tenant: TenantSnapshot): MailTenant {
    const siteUrl = this.siteUrl(tenant);
    const theme = tenant.theme;
    return {
      key: `${tenant.id}:${tenant.version}`,
      name: tenant.name,
      locales: tenant.locales,
      siteUrl,
      logoUrl: theme.logoUrl ? new URL(theme.logoUrl, `${siteUrl}/`).toString() : null,
      primaryColor: theme.primaryColor,
      textColor: theme.textColor ?? '#1b1f23',
      backgroundColor: theme.backgroundColor ?? '#ffffff',
      fontFamily: theme.fontFamily ?? 'system-ui, sans-serif',
      contact: theme.contact && Object.keys(theme.contact).length ? theme.contact : null,
      partialsDir: this.partialsDir(tenant),
    };
  }

  /** tenants/<slug>/theme/partials, kept inside the tenants folder (settings are data). */
  private partialsDir(tenant: TenantSnapshot): string | null {
    const themeDir = tenant.settings.themeDir;
    if (!themeDir) return null;
    const dir = join(this.config.tenantsDir, themeDir, 'partials');
    const rel = relative(this.config.tenantsDir, dir);
    return rel.startsWith('..') || isAbsolute(rel) ? null : dir;
  }
}
