import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '@vitrine/config';
import { errorBody, VitrineError } from '@vitrine/errors';
import { Authenticator } from '@vitrine/accounts';
import {
  AdminImportService,
  AdminTokenService,
  AuditLog,
  registerAdminHostHook,
  registerAdminImportRoutes,
} from '@vitrine/admin';
import {
  chosenLocale,
  isPageRequest,
  PageRenderer,
  registerSiteHook,
  registerSiteUploads,
  siteAuthentication,
  SiteKeys,
  WebSessionService,
} from '@vitrine/storefront';
import { registerTenancyHook, TenantDirectory } from '@vitrine/tenancy';
import {
  registerRequestLimits,
  registerSecurityHeaders,
  requestLimitsOptions,
} from '@vitrine/limits';
import { CACHE_STORE } from '@vitrine/cache';
import { installResponseCache, PersistedQueryStore } from '@vitrine/graphql';
import { AppModule, type AppOverrides } from './app.module';
import { HttpErrorFilter } from './http-error.filter';
import { apiLogging, attachObservability } from './observability';

export const HEALTH_PATHS = ['/healthz', '/readyz'];
const JSON_TYPE = 'application/json; charset=utf-8';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Builds the API application (not yet listening). The order of Fastify hooks matters:
 * tenancy runs on every request before any route, so no handler ever runs without a tenant
 * on a tenant host.
 */
export async function createApp(
  config: AppConfig,
  overrides: AppOverrides = {},
): Promise<NestFastifyApplication> {
  // pino for Fastify and Nest; request ids from a sane X-Request-Id or new (./observability.ts).
  const logging = apiLogging(config, overrides.logDestination);
  const adapter = new FastifyAdapter({
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    ...logging.fastifyOptions,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, overrides),
    adapter,
    {
      logger: logging.nestLogger,
      abortOnError: false,
      // Our own JSON parser below (strict UTF-8) replaces the one Nest would register.
      bodyParser: false,
    },
  );
  // SIGTERM/SIGINT: main.ts (serveOperations) drains and exits 0; no Nest signal hooks.
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // First hooks of all: request log context, metrics; /healthz and /readyz.
  attachObservability(app, fastify, config, logging);
  // Before every other hook, so refusals carry them too (docs/security.md).
  registerSecurityHeaders(fastify, { hstsMaxAgeS: config.hstsMaxAgeS });

  // JSON bodies must be valid UTF-8: a lossy decode would silently turn bytes into U+FFFD.
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_req, body: Buffer, done) => {
      let text: string;
      try {
        text = strictUtf8.decode(body);
      } catch {
        return done(VitrineError.badInput('The request body is not valid UTF-8.'), undefined);
      }
      try {
        done(null, text.length ? JSON.parse(text) : {});
      } catch {
        done(VitrineError.badInput('The request body is not valid JSON.'), undefined);
      }
    },
  );

  // Errors of body parsing and plain routes go through Nest's handler to HttpErrorFilter.
  const pages = app.get(PageRenderer);
  app.useGlobalFilters(
    new HttpErrorFilter(config.bodyLimitBytes, (req, status, message, code, exception) =>
      isPageRequest(req) && req.tenantContext
        ? pages.error(
            req.tenantContext,
            req,
            status,
            message || null,
            code,
            // A VitrineError's message by key: the page says it in its own language.
            exception instanceof VitrineError ? (exception.messageRef ?? null) : null,
          )
        : null,
    ),
  );

  // Microsite forms post application/x-www-form-urlencoded; cookies are parsed before the
  // tenancy hook, which reads the language and session cookies of page requests.
  await fastify.register(fastifyFormbody, { bodyLimit: config.bodyLimitBytes });
  // Multipart page forms (quick-order CSV upload, at most 5 MB): fields and file in req.body.
  await registerSiteUploads(fastify);
  const siteKeys = app.get(SiteKeys);
  await fastify.register(fastifyCookie, {
    // The key is loaded at module init (after this): sign lazily with whatever it is then.
    secret: {
      sign: (value: string) => fastifyCookie.sign(value, siteKeys.secret()),
      unsign: (value: string) => fastifyCookie.unsign(value, siteKeys.secret()),
    },
  });

  // Before the tenancy hook: admin paths and the admin host never resolve a tenant.
  registerAdminHostHook(fastify, {
    adminHost: config.adminHost,
    hostlessPaths: HEALTH_PATHS,
    tokens: app.get(AdminTokenService),
    audit: app.get(AuditLog),
  });
  // Import uploads and reject files on the admin host (raw-body routes in their own plugin).
  await registerAdminImportRoutes(fastify, app.get(AdminImportService));
  const authenticator = app.get(Authenticator);
  registerTenancyHook(fastify, app.get(TenantDirectory), {
    hostlessPaths: HEALTH_PATHS,
    adminHost: config.adminHost,
    // Bearer tokens for the API; the vitrine_session cookie for pages only (never /graphql).
    authenticate: siteAuthentication(app.get(WebSessionService), (authorization, tenant) =>
      authenticator.authenticate(authorization, tenant),
    ),
    localeOf: chosenLocale,
  });
  // After the tenancy hook: CSRF token, user name and notice of page requests (req.site).
  registerSiteHook(fastify, siteKeys);
  // After tenancy and authentication, before anything answers: rate limits, CORS, no batches.
  await registerRequestLimits(fastify, requestLimitsOptions(config, app, HEALTH_PATHS));
  // After tenancy and authentication, before Apollo: cacheable queries answered whole.
  installResponseCache(fastify, config, app.get(CACHE_STORE), app.get(PersistedQueryStore));

  // Theme assets of the request's own tenant: /theme/assets/logo.svg → tenants/<slug>/theme/assets/logo.svg.
  await fastify.register(fastifyStatic, { root: config.tenantsDir, serve: false });
  fastify.get('/theme/*', (req, reply) => {
    const ctx = req.tenantContext;
    const themeDir = ctx?.tenant.settings.themeDir;
    const rel = normalize((req.params as { '*': string })['*']);
    if (!themeDir || !rel.startsWith('assets/') || rel.includes('..')) {
      return reply
        .code(404)
        .header('content-type', JSON_TYPE)
        .send(errorBody('NOT_FOUND', 'No such theme asset.'));
    }
    return reply
      .header('cache-control', 'public, max-age=300')
      .sendFile(rel, join(config.tenantsDir, themeDir));
  });

  return app;
}

/** The URL of every active demo microsite on this port, for the start banner. */
export async function siteUrls(app: NestFastifyApplication, port: number): Promise<string[]> {
  const rows = (await app.get(TenantDirectory).listActiveDomains()) as Array<{
    slug: string;
    domain: string;
  }>;
  const width = Math.max(0, ...rows.map((r) => `http://${r.domain}:${port}/`.length));
  return rows.map((r) => {
    const site = `http://${r.domain}:${port}/`;
    return `${site.padEnd(width)}  GraphQL: ${site}graphql   (${r.slug})`;
  });
}

export const bootLog = new Logger('Vitrine');
