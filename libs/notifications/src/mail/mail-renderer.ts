import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MailTemplate } from '@vitrine/outbox';
import { fill, mailLocale, MESSAGES, type MailMessages } from './messages';

export const MAIL_TEMPLATES: readonly MailTemplate[] = [
  'order-confirmation',
  'order-submitted',
  'approval-requested',
  'order-approved',
  'order-rejected',
  'order-status',
  'quote-requested',
  'quote-offered',
  'invitation',
  'password-reset',
];

/** What a mail shows of its tenant; URLs are absolute (a mail is read far from the site). */
export interface MailTenant {
  /** Cache key of the tenant's environment: changes when the tenant (its theme) changes. */
  key: string;
  name: string;
  locales: readonly string[];
  siteUrl: string;
  logoUrl: string | null;
  primaryColor: string;
  textColor: string;
  backgroundColor: string;
  fontFamily: string;
  contact: { email?: string; phone?: string; address?: string } | null;
  /** Absolute folder of the tenant's `mail-*.hbs` partials, or null for the defaults only. */
  partialsDir: string | null;
}

export interface RenderedMail {
  locale: string;
  subject: string;
  html: string;
  text: string;
}

/** A mail whose data does not fit its template: delivering it again will not help. */
export class MailDataError extends Error {
  override name = 'MailDataError';
}

const DEFAULTS_DIR = join(__dirname, 'templates');

interface Sources {
  /** Partials by name (`body-<template>` resolved per part, `mail-*` shared). */
  html: Map<string, string>;
  text: Map<string, string>;
}

function loadDefaults(): Sources {
  const html = new Map<string, string>();
  const text = new Map<string, string>();
  for (const file of readdirSync(DEFAULTS_DIR)) {
    const source = readFileSync(join(DEFAULTS_DIR, file), 'utf8');
    const m = /^(.+)\.(html|txt)\.hbs$/.exec(file);
    if (m) (m[2] === 'html' ? html : text).set(m[1], source);
    else if (file.endsWith('.hbs')) {
      const name = file.slice(0, -4);
      html.set(name, source);
      text.set(name, source);
    }
  }
  return { html, text };
}

/**
 * Renders transactional e-mail: an HTML part and a plain-text alternative, in the tenant's
 * theme and the best language available (see {@link mailLocale}).
 *
 * Each tenant gets its own pair of Handlebars environments (HTML-escaping and plain text), built
 * from the defaults in ./templates with the tenant's own `theme/partials/mail-*.hbs` layered on
 * top, so one tenant's partial can never show up in another tenant's mail. Environments are
 * kept per tenant version: a theme change takes effect with the next tenant version.
 */
@Injectable()
export class MailRenderer {
  private static defaults: Sources | null = null;
  private readonly envs = new Map<
    string,
    { html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate }
  >();

  render(
    tenant: MailTenant,
    template: MailTemplate,
    requestedLocale: string,
    data: Record<string, unknown>,
  ): RenderedMail {
    if (!MAIL_TEMPLATES.includes(template))
      throw new MailDataError(`Unknown mail template "${template}"`);
    const locale = mailLocale(requestedLocale, tenant.locales);
    const messages = MESSAGES[locale];
    const params = introParams(template, data, tenant, messages);
    const env = this.environment(tenant);
    const context = (escape: boolean) => ({
      ...data,
      tenant: {
        name: tenant.name,
        siteUrl: tenant.siteUrl,
        logoUrl: tenant.logoUrl,
        primaryColor: tenant.primaryColor,
        textColor: tenant.textColor,
        backgroundColor: tenant.backgroundColor,
        fontFamily: tenant.fontFamily,
        contact: tenant.contact,
      },
      locale,
      subject: fill(messages.subjects[template], params),
      intro: escape
        ? new Handlebars.SafeString(
            fill(messages.intros[template], params, Handlebars.escapeExpression),
          )
        : fill(messages.intros[template], params),
      link: params.link,
      bodyPartial: `body-${template}`,
      vitrineMessages: messages,
    });
    const options = { allowProtoPropertiesByDefault: false };
    const html = env.html(context(true), options);
    const text = env.text(context(false), options);
    return {
      locale,
      subject: fill(messages.subjects[template], params).replace(/[\r\n]+/g, ' '),
      html,
      text: `${text
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim()}\n`,
    };
  }

  private environment(tenant: MailTenant) {
    let env = this.envs.get(tenant.key);
    if (!env) {
      const defaults = (MailRenderer.defaults ??= loadDefaults());
      const overrides = tenantPartials(tenant.partialsDir);
      const html = createEnv(defaults.html, overrides, true);
      const text = createEnv(defaults.text, overrides, false);
      // Strict: a value missing from the data fails the delivery instead of mailing a hole.
      env = {
        html: html.compile(defaults.html.get('layout') as string, { strict: true }),
        text: text.compile(defaults.text.get('layout') as string, { strict: true, noEscape: true }),
      };
      this.envs.set(tenant.key, env);
    }
    return env;
  }
}

/** A tenant's `mail-*.hbs` partials by name; they replace the defaults of the same name. */
function tenantPartials(dir: string | null): Map<string, string> {
  const partials = new Map<string, string>();
  if (!dir || !existsSync(dir)) return partials;
  for (const file of readdirSync(dir)) {
    if (/^mail-[a-z0-9-]+\.hbs$/.test(file))
      partials.set(file.slice(0, -4), readFileSync(join(dir, file), 'utf8'));
  }
  return partials;
}

function createEnv(
  defaults: Map<string, string>,
  overrides: Map<string, string>,
  html: boolean,
): typeof Handlebars {
  const hbs = Handlebars.create();
  for (const [name, source] of defaults) hbs.registerPartial(name, source);
  for (const [name, source] of overrides) hbs.registerPartial(name, source);
  const escape = html ? Handlebars.escapeExpression : (s: string) => s;
  const root = (options: Handlebars.HelperOptions) =>
    (options.data as { root: { locale: string; vitrineMessages: MailMessages } }).root;

  hbs.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
    const { vitrineMessages } = root(options);
    const value = key
      .split('.')
      .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], vitrineMessages);
    if (typeof value !== 'string') throw new Error(`No mail text "${key}"`);
    const filled = fill(value, options.hash as Record<string, unknown>, escape);
    return html ? new Handlebars.SafeString(filled) : filled;
  });
  hbs.registerHelper(
    'money',
    (amount: unknown, currency: unknown, options: Handlebars.HelperOptions) =>
      formatMoney(String(amount), String(currency), root(options).locale),
  );
  hbs.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) =>
    formatDate(String(value), root(options).locale),
  );
  hbs.registerHelper('percent', (value: unknown, options: Handlebars.HelperOptions) =>
    cachedFormat(
      `percent|${root(options).locale}`,
      () => new Intl.NumberFormat(root(options).locale, { maximumFractionDigits: 2 }),
    ).format(Number(value)),
  );
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return hbs;
}

/** A decimal string as money in the reader's notation; passed as a string, so no float rounding. */
export function formatMoney(amount: string, currency: string, locale: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(amount)) throw new MailDataError(`Not an amount: "${amount}"`);
  // Intl formats a decimal string exactly (no conversion to a float).
  const format = cachedFormat(
    `money|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
  ).format as (v: string) => string;
  return format(amount);
}

/**
 * Intl formatters by locale and options: creating one costs far more than formatting with it
 * (an order confirmation formats some thirty amounts). Few keys: locales × currencies.
 */
const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cachedFormat<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  key: string,
  create: () => F,
): F {
  let format = formats.get(key) as F | undefined;
  if (!format) {
    format = create();
    if (formats.size < 1000) formats.set(key, format);
  }
  return format;
}

/** An ISO date (2026-05-01) or timestamp as a date in the reader's language. */
export function formatDate(value: string, locale: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dateOnly ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new MailDataError(`Not a date: "${value}"`);
  return cachedFormat(
    `date|${locale}|${dateOnly}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        dateStyle: 'long',
        ...(dateOnly ? { timeZone: 'UTC' } : { timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
      }),
  ).format(date);
}

function record(
  data: Record<string, unknown>,
  key: string,
  template: string,
): Record<string, unknown> {
  const value = data[key];
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new MailDataError(`Mail "${template}" needs data.${key} (an object)`);
  return value as Record<string, unknown>;
}

function text(data: Record<string, unknown>, key: string, template: string): string {
  const value = data[key];
  if (typeof value !== 'string' || !value)
    throw new MailDataError(`Mail "${template}" needs data.${key} (a non-empty string)`);
  return value;
}

/** Handlebars' strict mode does not check what block helpers iterate: the lines are checked here. */
function lines(doc: Record<string, unknown>, key: string, template: string): void {
  if (typeof doc.number !== 'string' || !Array.isArray(doc.lines))
    throw new MailDataError(
      `Mail "${template}" needs data.${key}.number and data.${key}.lines (a list)`,
    );
}

/** The values the subject and the opening sentence name, checked against the template's needs. */
function introParams(
  template: MailTemplate,
  data: Record<string, unknown>,
  tenant: MailTenant,
  messages: MailMessages,
): Record<string, string> {
  const site = tenant.name;
  switch (template) {
    case 'invitation':
    case 'password-reset': {
      text(data, 'name', template);
      text(data, 'expiresAt', template);
      const link =
        typeof data.link === 'string'
          ? data.link
          : `${tenant.siteUrl}/${template}?token=${encodeURIComponent(text(data, 'token', template))}`;
      if (!/^https?:\/\//.test(link))
        throw new MailDataError(`Mail "${template}": data.link must be an absolute http(s) URL`);
      return { site, link };
    }
    case 'quote-requested':
    case 'quote-offered': {
      const quote = record(data, 'quote', template);
      lines(quote, 'quote', template);
      return { site, number: String(quote.number) };
    }
    default: {
      const order = record(data, 'order', template);
      lines(order, 'order', template);
      if (template === 'order-rejected') text(data, 'reason', template);
      const status = String(order.status);
      return {
        site,
        number: String(order.number),
        buyer: String((order.placedBy as { name?: unknown } | undefined)?.name ?? ''),
        status: messages.statuses[status] ?? status,
      };
    }
  }
}
