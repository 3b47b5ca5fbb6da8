import {
  applyDecorators,
  Catch,
  Injectable,
  SetMetadata,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { permissionsOf, type Permission } from '@vitrine/tenancy';

export interface RequireUserOptions {
  /**
   * Only on login-only sites: the page is open to anonymous visitors where the tenant allows
   * public browsing (catalog pages), and needs a sign-in elsewhere.
   */
  whenLoginOnly?: boolean;
  /** A permission the signed-in user must have; without it the answer is a 403 page. */
  permission?: Permission;
}

const REQUIRE_USER = 'vitrine:require-user';

/** Thrown by the guard for an anonymous visitor; answered with 303 to the sign-in page. */
export class SignInRequired extends Error {
  constructor(readonly location: string) {
    super('Sign in to continue.');
  }
}

/**
 * Pages that need a signed-in user. On a handler or a page controller:
 *
 * ```ts
 * @Get('/cart') @RequireUser({ permission: 'MANAGE_CART' }) cart(...) {}
 * @Get('/c/:slug') @RequireUser({ whenLoginOnly: true }) category(...) {}
 * ```
 *
 * An anonymous visitor is sent (303) to `/login?next=<this page>` — for a GET; a POST goes to
 * `/login` plain, since its URL is no page to come back to. A signed-in user without the
 * permission gets a 403 page. After the guard, `ctx.user` is set.
 */
export function RequireUser(options: RequireUserOptions = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRE_USER, options),
    UseGuards(RequireUserGuard),
    UseFilters(SignInRedirectFilter),
  );
}

@Injectable()
export class RequireUserGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(execution: ExecutionContext): boolean {
    const options =
      this.reflector.getAllAndOverride<RequireUserOptions | undefined>(REQUIRE_USER, [
        execution.getHandler(),
        execution.getClass(),
      ]) ?? {};
    const req = execution.switchToHttp().getRequest<FastifyRequest>();
    const ctx = req.tenantContext;
    if (!ctx)
      throw new VitrineError('TENANT_NOT_FOUND', 'This page is only served on a microsite host.');
    if (!ctx.user) {
      if (options.whenLoginOnly && ctx.tenant.publicBrowsing) return true;
      throw new SignInRequired(signInLocation(req));
    }
    if (options.permission && !permissionsOf(ctx.user.roles).has(options.permission))
      throw new VitrineError('FORBIDDEN', 'Your account may not use this page.');
    return true;
  }
}

/** `/login?next=<path and query>` for a GET, `/login` otherwise. */
export function signInLocation(req: FastifyRequest): string {
  if (req.method !== 'GET' && req.method !== 'HEAD') return '/login';
  const next = safeNext(req.url);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

@Catch(SignInRequired)
export class SignInRedirectFilter implements ExceptionFilter {
  catch(exception: SignInRequired, host: ArgumentsHost): FastifyReply {
    return host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .code(303)
      .header('location', exception.location)
      .header('cache-control', 'private, no-store')
      .send();
  }
}

const PLACEHOLDER_ORIGIN = 'http://vitrine.invalid';

/**
 * Where to go after signing in: a path on this site, never elsewhere (no open redirect).
 * Anything that is not a plain same-site path — `//evil.example`, `/\evil`, `https://…`,
 * control characters — becomes `/`.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next))
    return '/';
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
  const path = `${url.pathname}${url.search}`;
  return path.startsWith('/login') || path.startsWith('/logout') ? '/' : path;
}
