import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { CACHE_STORE, type CacheStore, channelName, globalKey } from '@vitrine/cache';
import { DATA_SOURCE } from '@vitrine/database';
import { deepFreeze, type TenantSnapshot, type TenantStatus } from './tenant-snapshot';

const CHANNEL = channelName('tenants-changed');
const VERSION_KEY = globalKey('tenants-version');
/** Safety net if an invalidation message is ever missed (e.g. Redis was down): entries age out. */
const LOCAL_TTL_MS = 60_000;
const UNKNOWN_HOST_TTL_MS = 5_000;
const SHARED_TTL_S = 300;

interface ChangeMessage {
  version: number;
  tenantIds: string[];
  origin: string;
}

type Entry = { tenant: TenantSnapshot | null };

/**
 * Host → tenant resolution: process memory, then the shared cache, then the database.
 *
 * Any change to a tenant bumps a global version (part of every shared-cache key, so stale
 * entries become unreachable without scanning keys) and is published on pub/sub; every
 * instance drops its in-process entries when the message arrives, so a change is seen
 * everywhere within one pub/sub round trip.
 */
@Injectable()
export class TenantDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('TenantDirectory');
  private readonly origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  private readonly local = new LRUCache<string, Entry>({ max: 20_000, ttl: LOCAL_TTL_MS });
  private version = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private readonly listeners = new Set<(tenantIds: string[]) => void>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
  ) {}

  async onModuleInit(): Promise<void> {
    this.version = Number((await this.cache.get(VERSION_KEY)) ?? 0);
    this.unsubscribe = await this.cache.subscribe(CHANNEL, (raw) => this.onMessage(raw));
    // Changes published while Redis was down never arrived: forget every tenant once it is back.
    this.cache.onResume?.(() => this.local.clear());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** Called (in-process) whenever tenants change, after local entries were dropped. */
  onChange(listener: (tenantIds: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The tenant for a normalized host, or null when no tenant claims it. */
  async resolveHost(host: string): Promise<TenantSnapshot | null> {
    const hit = this.local.get(host);
    if (hit) return hit.tenant;
    const version = this.version;
    const sharedKey = globalKey('tenant-host', version, host);
    const shared = await this.cache.get(sharedKey);
    let tenant: TenantSnapshot | null;
    if (shared !== null) {
      tenant = shared === 'null' ? null : deepFreeze(JSON.parse(shared) as TenantSnapshot);
    } else {
      tenant = await this.loadByHost(host);
      await this.cache.set(
        sharedKey,
        tenant ? JSON.stringify(tenant) : 'null',
        tenant ? SHARED_TTL_S : UNKNOWN_HOST_TTL_MS / 1000,
      );
    }
    // A change that arrived while we were loading must not be overwritten with what we read before it.
    if (version === this.version) {
      this.local.set(host, { tenant }, tenant ? undefined : { ttl: UNKNOWN_HOST_TTL_MS });
    }
    return tenant;
  }

  /** Loads a tenant by slug straight from the database (admin and CLI paths, not per request). */
  async findBySlug(slug: string): Promise<TenantSnapshot | null> {
    const rows = await this.ds.query(`${SELECT_TENANT} WHERE t.slug = $1 GROUP BY t.id`, [slug]);
    return rows.length ? toSnapshot(rows[0] as TenantRow) : null;
  }

  /** Every domain of every active tenant (start banner, admin listings). */
  async listActiveDomains(): Promise<Array<{ slug: string; domain: string }>> {
    return this.ds.query(
      `SELECT t.slug, d.domain FROM tenant t JOIN tenant_domain d ON d.tenant_id = t.id
       WHERE t.status = 'ACTIVE' ORDER BY t.slug, d.is_primary DESC, d.domain`,
    ) as Promise<Array<{ slug: string; domain: string }>>;
  }

  /**
   * What the tenants show changed outside their own rows (a catalog import, customer article
   * numbers): a new version for each — every cache keyed by it (whole responses, effective
   * prices) misses from now on — announced to every instance. `'all'`: every tenant.
   */
  async bumpVersions(tenantIds: readonly string[] | 'all'): Promise<void> {
    const all = tenantIds === 'all';
    const rows = (await this.ds.query(
      `UPDATE tenant SET version = version + 1 WHERE $1::boolean OR id = ANY($2::uuid[]) RETURNING id`,
      [all, all ? [] : tenantIds],
    )) as unknown;
    // TypeORM answers UPDATE … RETURNING with [rows, count] on PostgreSQL.
    const list = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as Array<{
      id: string;
    }>;
    if (list.length) await this.invalidate(list.map((r) => r.id));
  }

  /**
   * Announces that tenants changed (created, updated, domains, status): every instance,
   * this one included, stops serving what it had cached for them.
   */
  async invalidate(tenantIds: string[]): Promise<void> {
    this.version = Math.max(this.version + 1, await this.cache.incr(VERSION_KEY));
    this.dropLocal(tenantIds);
    const message: ChangeMessage = { version: this.version, tenantIds, origin: this.origin };
    await this.cache.publish(CHANNEL, JSON.stringify(message));
  }

  private onMessage(raw: string): void {
    try {
      const message = JSON.parse(raw) as ChangeMessage;
      this.version = Math.max(this.version, message.version);
      if (message.origin !== this.origin) this.dropLocal(message.tenantIds);
    } catch (err) {
      this.log.warn(`Ignoring malformed tenant change message: ${(err as Error).message}`);
      this.local.clear();
    }
  }

  private dropLocal(tenantIds: string[]): void {
    // Unknown hosts may have just become known, and domains may have moved between tenants:
    // changes are rare, so forgetting everything is simpler and safe.
    this.local.clear();
    for (const listener of this.listeners) listener(tenantIds);
  }

  private async loadByHost(host: string): Promise<TenantSnapshot | null> {
    const rows = await this.ds.query(
      `${SELECT_TENANT} WHERE t.id = (SELECT tenant_id FROM tenant_domain WHERE domain = $1) GROUP BY t.id`,
      [host],
    );
    return rows.length ? toSnapshot(rows[0] as TenantRow) : null;
  }
}

const SELECT_TENANT = `
  SELECT t.id, t.slug, t.name, t.status, t.locales, t.currency, t.time_zone, t.public_browsing, t.show_list_prices,
         t.theme, t.settings, t.version,
         coalesce(array_agg(d.domain ORDER BY d.is_primary DESC, d.domain) FILTER (WHERE d.domain IS NOT NULL), '{}') AS domains
  FROM tenant t LEFT JOIN tenant_domain d ON d.tenant_id = t.id`;

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  locales: string[];
  currency: string;
  time_zone: string;
  public_browsing: boolean;
  show_list_prices: boolean;
  theme: TenantSnapshot['theme'];
  settings: TenantSnapshot['settings'];
  version: number;
  domains: string[];
}

function toSnapshot(row: TenantRow): TenantSnapshot {
  return deepFreeze({
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    locales: row.locales,
    currency: row.currency.trim(),
    timeZone: row.time_zone,
    publicBrowsing: row.public_browsing,
    showListPrices: row.show_list_prices,
    theme: row.theme,
    settings: row.settings,
    version: row.version,
    domains: row.domains,
  });
}
