import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { VitrineError } from '@vitrine/errors';

const FORM_EXPIRED = 'The form expired or was tampered with; reload the page and try again.';

/**
 * Put `@UseGuards(CsrfGuard)` on every POST handler of a page. The form's `_csrf` field (value
 * `{{csrfToken}}` in the template; scripts may send an `X-CSRF-Token` header instead, e.g. for
 * a multipart upload whose body is read in the handler) must equal the token of the visitor's
 * session — or, before sign-in, the HMAC of their anonymous cookie (see site.hook.ts). A missing
 * or wrong token is refused with 403 FORBIDDEN before the handler runs, so nothing changes; the
 * error filter renders it as a themed page.
 *
 * Defence in depth: a request whose Origin header names another origin is refused even with a
 * valid token. (Browsers send Origin on every POST; `null` and absent are left to the token.)
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    const req = execution.switchToHttp().getRequest<FastifyRequest>();
    if (!csrfValid(req))
      throw VitrineError.withMessage('FORBIDDEN', 'session.formExpired', {}, FORM_EXPIRED);
    return true;
  }
}

/** The check behind {@link CsrfGuard}, for code that is not a Nest handler. */
export function csrfValid(req: FastifyRequest): boolean {
  const expected = req.site?.csrfToken;
  if (!expected) return false;
  const origin = req.headers.origin;
  if (origin && origin !== 'null' && origin !== `${req.protocol}://${req.host}`) return false;
  const body = req.body;
  let given: unknown =
    body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
  if (Array.isArray(given)) given = given.length === 1 ? given[0] : undefined;
  if (given === undefined) given = req.headers['x-csrf-token'];
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
