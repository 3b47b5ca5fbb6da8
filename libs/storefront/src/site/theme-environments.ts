import { Inject, Injectable, Logger } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import type { TenantSnapshot } from '@vitrine/tenancy';
import { label, type SiteLocale } from './messages';
import { themeStyle, type ThemeStyle } from './theme-style';

/** The default templates: `layout.hbs`, `partials/*.hbs`, `pages/*.hbs`. */
export const TEMPLATES_DIR = join(__dirname, '..', 'templates');

const PARTIAL_NAME = /^[a-z][a-z0-9-]{0,63}\.hbs$/;
/** A theme partial larger than this is refused (a partial is markup, not a data dump). */
const MAX_PARTIAL_BYTES = 64 * 1024;

/** One theme's compiled templates. */
export interface ThemeEnvironment {
  /** Renders `pages/<page>.hbs` inside the layout. */
  page(page: string, data: Record<string, unknown>): string;
  /** The theme's checked colours (with readable partners), font and images. */
  style: ThemeStyle;
}

/**
 * One Handlebars environment per tenant theme: the default partials, then the theme's own
 * `partials/*.hbs` over them (header, footer, product card, …). Templates are compiled once per
 * environment and kept; an environment is rebuilt when the tenant's version changes (every
 * `tenants sync` bumps it) and, in development, when a theme partial's file changes. Each tenant
 * has its own environment, so a partial of one tenant can never render on another's site.
 * Output is HTML-escaped; the layout inserts the page body, our own rendered template, raw.
 */
@Injectable()
export class ThemeEnvironments {
  private readonly log = new Logger(ThemeEnvironments.name);
  private readonly envs = new Map<
    string,
    { version: number; partialsDir: string | null; stamp: string; env: ThemeEnvironment }
  >();
  private readonly defaults = readTemplates(TEMPLATES_DIR);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  for(tenant: TenantSnapshot): ThemeEnvironment {
    // Outside development a page costs one map lookup: the folder is resolved and read only when
    // the tenant's version changes. In development, a changed partial file rebuilds too.
    const dev = this.config.env === 'development';
    const cached = this.envs.get(tenant.id);
    if (cached?.version === tenant.version && (!dev || cached.stamp === stamp(cached.partialsDir)))
      return cached.env;
    const partialsDir = this.partialsDir(tenant);
    const env = this.build(tenant, partialsDir);
    this.envs.set(tenant.id, {
      version: tenant.version,
      partialsDir,
      stamp: dev ? stamp(partialsDir) : '',
      env,
    });
    return env;
  }

  private build(tenant: TenantSnapshot, partialsDir: string | null): ThemeEnvironment {
    const hbs = Handlebars.create();
    for (const [name, source] of this.defaults.partials) hbs.registerPartial(name, source);
    for (const [name, source] of readThemePartials(partialsDir, this.log, tenant.slug))
      hbs.registerPartial(name, source);
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hbs.registerHelper(
      't',
      function (this: unknown, key: string, options: Handlebars.HelperOptions) {
        const root = options.data?.root as { locale?: SiteLocale } | undefined;
        return label(root?.locale ?? 'en', key, options.hash as Record<string, unknown>);
      },
    );
    const compile = (source: string) => hbs.compile(source, { strict: false });
    const layout = compile(this.defaults.layout);
    const pages = new Map<string, Handlebars.TemplateDelegate>();
    const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
    return {
      style: themeStyle(tenant.theme),
      page: (page, data) => {
        let template = pages.get(page);
        if (!template) {
          const source = this.defaults.pages.get(page);
          if (source === undefined) throw new Error(`No page template named ${page}`);
          template = compile(source);
          pages.set(page, template);
        }
        const body = template(data, options);
        return layout({ ...data, body: new Handlebars.SafeString(body) }, options);
      },
    };
  }

  /** The theme's partials folder, checked to stay inside the tenants folder. */
  private partialsDir(tenant: TenantSnapshot): string | null {
    const themeDir = tenant.settings.themeDir;
    if (!themeDir) return null;
    const root = resolve(this.config.tenantsDir);
    const dir = resolve(root, themeDir, 'partials');
    return dir.startsWith(root + sep) && existsSync(dir) ? dir : null;
  }
}

function readTemplates(dir: string) {
  const read = (sub: string) =>
    new Map(
      readdirSync(join(dir, sub))
        .filter((f) => f.endsWith('.hbs'))
        .map((f) => [f.slice(0, -4), readFileSync(join(dir, sub, f), 'utf8')] as const),
    );
  return {
    layout: readFileSync(join(dir, 'layout.hbs'), 'utf8'),
    partials: read('partials'),
    pages: read('pages'),
  };
}

function readThemePartials(dir: string | null, log: Logger, slug: string): Array<[string, string]> {
  if (!dir) return [];
  const out: Array<[string, string]> = [];
  for (const file of readdirSync(dir)) {
    if (!PARTIAL_NAME.test(file)) continue;
    const path = join(dir, file);
    if (statSync(path).size > MAX_PARTIAL_BYTES) {
      log.warn(`Theme partial ${slug}/${file} is larger than ${MAX_PARTIAL_BYTES} bytes; ignored`);
      continue;
    }
    out.push([file.slice(0, -4), readFileSync(path, 'utf8')]);
  }
  return out;
}

/** Changes when a partial file of the folder changes (development reload). */
function stamp(dir: string | null): string {
  if (!dir) return '';
  return readdirSync(dir)
    .filter((f) => PARTIAL_NAME.test(f))
    .map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`)
    .join('|');
}
