import type { FastifyRequest } from 'fastify';
import { formatMoney } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';

/** A form body as @fastify/formbody or @fastify/multipart ('keyValues') leaves it. */
export type FormBody = Record<string, unknown>;

export function formOf(req: FastifyRequest): FormBody {
  const body = req.body;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as FormBody) : {};
}

/** One text field of a form: a repeated field counts by its first value; absent is ''. */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

/**
 * A quantity typed into a form: a whole number written with digits only (a leading minus is
 * kept so the page can say what was wrong); anything else is null.
 */
export function formQuantity(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d{1,9}$/.test(t)) return null;
  return Number(t);
}

/**
 * Where to go back to after a form: a path on this same site only — never another origin
 * (`//evil.example`, `/\evil.example`, `https://…`), so the form cannot be used to send a
 * visitor elsewhere.
 */
export function sameSitePath(next: string, fallback: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 1000 ? next : fallback;
}

/** Money in the visitor's locale. */
export function moneyFormatter(ctx: TenantContext, currency: string): (minor: number) => string {
  return (minor) => formatMoney(minor, currency, ctx.locale);
}

/** A date (or timestamp) as the visitor reads it, in the shop's time zone. */
export function dateFormatter(ctx: TenantContext, withTime = false): (at: Date) => string {
  const format = new Intl.DateTimeFormat(ctx.locale, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: ctx.tenant.timeZone,
  });
  return (at) => format.format(at);
}
