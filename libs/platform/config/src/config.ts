import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Comma-separated list → trimmed, non-empty entries. */
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0),
);

const boolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_MIGRATION_URL: z.string().url().optional(),
  DATABASE_RUNTIME_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a role name: lower-case letters, digits, underscores')
    .optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  VITRINE_DATA_DIR: z.string().default('.vitrine'),
  REDIS_URL: z.string().url().optional(),
  CACHE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .default('vitrine:'),
  TRUSTED_PROXIES: list.default([]),
  ADMIN_HOST: z.string().default('admin.localhost'),
  TENANTS_DIR: z.string().default('tenants'),
  VITRINE_DEMO_PRODUCTS: z.coerce.number().int().min(0).max(2_000_000).default(5000),
  VITRINE_DEMO_EXTRA_TENANTS: z.coerce.number().int().min(0).max(10_000).default(0),
  VITRINE_SEED_ON_START: boolean.optional(),
  VITRINE_DEMO_PASSWORD: z.string().min(12).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().optional(),
  METRICS_TENANT_LABELS_MAX: z.coerce.number().int().min(0).max(1000).default(50),
  READY_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1000),
  READY_REQUIRES_REDIS: boolean.default(false),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  GRAPHQL_MAX_FIRST: z.coerce.number().int().min(1).max(1000).default(100),
  VITRINE_SELLER_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 code in capitals, e.g. NL')
    .default('NL'),
  AUTH_TOKEN_SECRET: z.string().min(32, 'use at least 32 random characters').optional(),
  AUTH_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(86_400).default(900),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  PUBLIC_BASE_URL: z
    .string()
    .regex(
      /^https?:\/\/[^/\s]+$/,
      'a scheme and host without path, e.g. https://{domain} or http://{domain}:3000',
    )
    .default('https://{domain}'),
  OUTBOX_WORKER: z.enum(['inline', 'off']).default('inline'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  OUTBOX_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  OUTBOX_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  OUTBOX_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(20),
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example:587')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Vitrine <no-reply@vitrine.example>'),
  MAILBOX_DIR: z.string().default('var/mailbox'),
  ERP_DROP_DIR: z.string().default('var/erp-drop'),
  ERP_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  IMPORT_SPOOL_DIR: z.string().optional(),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(200 * 1024 * 1024),
  IMPORT_STALE_AFTER_S: z.coerce.number().int().min(5).max(86_400).default(120),
  // Abuse limits (docs/security.md): GraphQL shape, rate limits, security headers.
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(10_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(20),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(3000),
  GRAPHQL_INTROSPECTION: boolean.optional(),
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(60),
  RATE_LIMIT_TENANT: z.coerce.number().int().min(0).optional(),
  RATE_LIMIT_IP: z.coerce.number().int().min(0).optional(),
  RATE_LIMIT_ACCOUNT: z.coerce.number().int().min(0).optional(),
  HSTS_MAX_AGE_S: z.coerce.number().int().min(0).optional(),
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  RESPONSE_CACHE_SHARED: z.enum(['on', 'off']).default('off'),
  RESPONSE_CACHE_TTL_S: z.coerce.number().int().min(1).max(3600).default(60),
  RESPONSE_CACHE_PUBLIC_MAX_AGE_S: z.coerce.number().int().min(0).max(86_400).default(60),
  RESPONSE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(16_384).default(64),
});

export type DatabaseConfig =
  | {
      kind: 'postgres';
      /** The runtime connection: a role that owns nothing and has no BYPASSRLS (docs/isolation.md). */
      url: string;
      /** The owner's connection, for migrations only (DATABASE_MIGRATION_URL); else `url`. */
      migrationUrl?: string;
      /** Role the migration step grants the runtime's privileges to (default: `url`'s user when `migrationUrl` is set). */
      runtimeRole?: string;
      /** How long to wait for a new connection before failing the request (503). */
      connectTimeoutMs?: number;
    }
  | { kind: 'pglite'; dataDir: string };

/** The validated configuration of one process. Built once from the environment. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Namespace of this installation's keys and channels in a shared Redis. */
  cachePrefix: string;
  /** Addresses/CIDRs whose X-Forwarded-Host / X-Forwarded-For we believe. Empty: nobody's. */
  trustedProxies: string[];
  adminHost: string;
  tenantsDir: string;
  /**
   * `password`: development only — the password the demo seed gives the users of tenants/ so
   * the demo can be tried without e-mail. Never set in production (refused there).
   */
  demo: { products: number; extraTenants: number; seedOnStart: boolean; password: string | null };
  logLevel: string;
  /**
   * Logs, metrics, probes and shutdown (docs/operations.md). `logFormat`: `json` lines, or
   * `pretty` for a person (development). `metricsPort`: Prometheus /metrics on its own port
   * (0: none; default 9464, 0 under NODE_ENV=test), bound to `metricsHost` (default HOST). `tenantLabelsMax`: per-tenant series only
   * while at most this many tenants were seen (0: never). `readyTimeoutMs`: each /readyz check;
   * `readyRequiresRedis`: a Redis outage makes /readyz 503 (default: reported, still ready —
   * the API serves from the database). `shutdownGraceMs`: longest drain after SIGTERM;
   * `shutdownDelayMs`: /readyz is 503 this long before the listener closes.
   */
  observability: {
    logFormat: 'json' | 'pretty';
    metricsPort: number;
    metricsHost: string;
    tenantLabelsMax: number;
    readyTimeoutMs: number;
    readyRequiresRedis: boolean;
    shutdownGraceMs: number;
    shutdownDelayMs: number;
  };
  /**
   * GraphQL limits of both endpoints (docs/security.md). `introspection` off also hides field
   * suggestions ("Did you mean …") from errors.
   */
  graphql: {
    maxFirst: number;
    introspection: boolean;
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxTokens: number;
  };
  /**
   * Requests per `windowS` seconds per tenant, per client address and per account (buyer or
   * admin); 0 turns one off. Defaults: 30,000 / 1,800 / 1,200 a minute; all off under
   * NODE_ENV=test unless set.
   */
  rateLimit: { windowS: number; perTenant: number; perIp: number; perAccount: number };
  /** Strict-Transport-Security max-age (0: no header; default 180 days in production only). */
  hstsMaxAgeS: number;
  bodyLimitBytes: number;
  /**
   * Access tokens: HS256 key (null: the installation's random key from the database, shared by
   * every instance) and lifetime in seconds.
   */
  auth: { tokenSecret: string | null; accessTokenTtlS: number };
  /** The seller's member state: goods ship from there, its VAT applies to domestic sales. */
  seller: { country: string };
  /**
   * Public origin of a tenant's site, `{domain}` standing for its primary domain (default
   * `https://{domain}`): links and logo URLs in e-mails are made absolute with it.
   */
  publicBaseUrl: string;
  /**
   * Outbox delivery. `worker`: `inline` runs the delivery loop inside the API process (the only
   * choice for the embedded database, which one process owns); `off` leaves it to apps/worker.
   * A delivery that fails is retried after `backoffBaseMs · 2^(attempt-1)` (capped at
   * `backoffMaxMs`, with jitter) and marked FAILED after `maxAttempts`. `leaseMs` is how long a
   * claimed event is reserved for one worker: if that worker dies, another claims it after it.
   */
  outbox: {
    worker: 'inline' | 'off';
    pollMs: number;
    leaseMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    batchSize: number;
    concurrency: number;
  };
  /** Transactional e-mail: SMTP when `smtpUrl` is set, otherwise `.eml` files under `mailboxDir`. */
  mail: { smtpUrl: string | null; from: string; mailboxDir: string };
  /**
   * ERP export. `secret(name)` reads the named environment variable holding a tenant's webhook
   * secret (tenant.yaml names the variable, never the secret); undefined when unset or empty.
   */
  erp: { dropDir: string; webhookTimeoutMs: number; secret(name: string): string | undefined };
  /**
   * Imports uploaded through the admin API: files are spooled to `spoolDir` (default
   * `<VITRINE_DATA_DIR>/imports`; a volume every API instance shares when there are several),
   * at most `maxUploadBytes` each. A job whose process stopped writing its heartbeat for
   * `staleAfterS` seconds is reported FAILED (interrupted).
   */
  imports: { spoolDir: string; maxUploadBytes: number; staleAfterS: number };
  /**
   * Whole-response cache of storefront GraphQL queries (docs/caching.md): `enabled` (off for
   * measurements), `shared` (also in Redis), entry `ttlS`, `publicMaxAgeS` of anonymous answers
   * on public sites, and the in-process bound `maxBytes`.
   */
  responseCache: {
    enabled: boolean;
    shared: boolean;
    ttlS: number;
    publicMaxAgeS: number;
    maxBytes: number;
  };
}

export class ConfigError extends Error {}

/**
 * PostgreSQL with two roles (docs/isolation.md): the application connects with `url` as the
 * runtime role; migrations connect with `migrationUrl` as the owner and grant the runtime role
 * its privileges (DATABASE_RUNTIME_ROLE, by default the user of DATABASE_URL).
 */
function postgresConfig(
  url: string,
  migrationUrl: string | undefined,
  runtimeRole: string | undefined,
  connectTimeoutMs: number,
): DatabaseConfig {
  const user = decodeURIComponent(new URL(url).username);
  return {
    kind: 'postgres',
    url,
    connectTimeoutMs,
    ...(migrationUrl ? { migrationUrl } : {}),
    ...(runtimeRole || (migrationUrl && user) ? { runtimeRole: runtimeRole ?? user } : {}),
  };
}

/** The demo users' password in development (printed in the start banner; never in production). */
export const DEV_DEMO_PASSWORD = 'vitrine-demo-only';

/**
 * Reads and validates the environment: the only place in the code base that looks at
 * process.env. Invalid values stop the process with every problem listed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.VITRINE_DEMO_PASSWORD)
    throw new ConfigError(
      'Invalid environment configuration:\n  VITRINE_DEMO_PASSWORD: development only; unset it in production',
    );
  const database: DatabaseConfig = e.DATABASE_URL
    ? postgresConfig(
        e.DATABASE_URL,
        e.DATABASE_MIGRATION_URL,
        e.DATABASE_RUNTIME_ROLE,
        e.DATABASE_CONNECT_TIMEOUT_MS,
      )
    : { kind: 'pglite', dataDir: resolve(cwd, e.VITRINE_DATA_DIR, 'pgdata') };
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    redisUrl: e.REDIS_URL ?? null,
    cachePrefix: e.CACHE_PREFIX,
    trustedProxies: e.TRUSTED_PROXIES,
    seller: { country: e.VITRINE_SELLER_COUNTRY },
    auth: { tokenSecret: e.AUTH_TOKEN_SECRET ?? null, accessTokenTtlS: e.AUTH_ACCESS_TOKEN_TTL_S },
    adminHost: e.ADMIN_HOST.toLowerCase(),
    tenantsDir: resolve(cwd, e.TENANTS_DIR),
    demo: {
      products: e.VITRINE_DEMO_PRODUCTS,
      extraTenants: e.VITRINE_DEMO_EXTRA_TENANTS,
      password:
        e.VITRINE_DEMO_PASSWORD ?? (e.NODE_ENV === 'development' ? DEV_DEMO_PASSWORD : null),
      // The embedded default seeds the demo on first start; a real PostgreSQL only when asked.
      seedOnStart: e.VITRINE_SEED_ON_START ?? database.kind === 'pglite',
    },
    logLevel: e.LOG_LEVEL,
    observability: {
      // One readable line per entry for `npm start` (development); JSON everywhere else.
      logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
      // 9464; none under NODE_ENV=test, where many processes share the machine.
      metricsPort: e.METRICS_PORT ?? (e.NODE_ENV === 'test' ? 0 : 9464),
      metricsHost: e.METRICS_HOST ?? e.HOST,
      tenantLabelsMax: e.METRICS_TENANT_LABELS_MAX,
      readyTimeoutMs: e.READY_TIMEOUT_MS,
      readyRequiresRedis: e.READY_REQUIRES_REDIS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    },
    graphql: {
      maxFirst: e.GRAPHQL_MAX_FIRST,
      introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxCost: e.GRAPHQL_MAX_COST,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    rateLimit: {
      windowS: e.RATE_LIMIT_WINDOW_S,
      perTenant: e.RATE_LIMIT_TENANT ?? (e.NODE_ENV === 'test' ? 0 : 30_000),
      perIp: e.RATE_LIMIT_IP ?? (e.NODE_ENV === 'test' ? 0 : 1800),
      perAccount: e.RATE_LIMIT_ACCOUNT ?? (e.NODE_ENV === 'test' ? 0 : 1200),
    },
    hstsMaxAgeS: e.HSTS_MAX_AGE_S ?? (e.NODE_ENV === 'production' ? 15_552_000 : 0),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    outbox: {
      worker: e.OUTBOX_WORKER,
      pollMs: e.OUTBOX_POLL_MS,
      leaseMs: e.OUTBOX_LEASE_MS,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      backoffBaseMs: e.OUTBOX_BACKOFF_BASE_MS,
      backoffMaxMs: Math.max(e.OUTBOX_BACKOFF_MAX_MS, e.OUTBOX_BACKOFF_BASE_MS),
      batchSize: e.OUTBOX_BATCH_SIZE,
      concurrency: e.OUTBOX_CONCURRENCY,
    },
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM,
      mailboxDir: resolve(cwd, e.MAILBOX_DIR),
    },
    erp: {
      dropDir: resolve(cwd, e.ERP_DROP_DIR),
      webhookTimeoutMs: e.ERP_WEBHOOK_TIMEOUT_MS,
      // Looked up when a webhook is sent, from the environment this config was built from, so
      // this module stays the only reader of process.env and a rotated secret needs a restart.
      secret: (name) => (/^[A-Z][A-Z0-9_]*$/.test(name) && env[name]) || undefined,
    },
    imports: {
      spoolDir: resolve(cwd, e.IMPORT_SPOOL_DIR ?? join(e.VITRINE_DATA_DIR, 'imports')),
      maxUploadBytes: e.IMPORT_MAX_BYTES,
      staleAfterS: e.IMPORT_STALE_AFTER_S,
    },
    responseCache: {
      enabled: e.RESPONSE_CACHE === 'on',
      shared: e.RESPONSE_CACHE_SHARED === 'on',
      ttlS: e.RESPONSE_CACHE_TTL_S,
      publicMaxAgeS: e.RESPONSE_CACHE_PUBLIC_MAX_AGE_S,
      maxBytes: e.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
    },
  };
}

/** The public origin of a site: {@link AppConfig.publicBaseUrl} with the site's domain filled in. */
export function siteOrigin(config: Pick<AppConfig, 'publicBaseUrl'>, domain: string): string {
  return config.publicBaseUrl.replace('{domain}', domain);
}
