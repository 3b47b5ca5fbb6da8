import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  httpStatusFor,
  isDatabaseUnavailable,
  serviceUnavailable,
  UNAVAILABLE_RETRY_AFTER_S,
  VitrineError,
} from '@vitrine/errors';
import { ADMIN_PAGES } from './admin-page-paths';
import { AdminPageRenderer } from './admin-page-renderer';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin page visitor, once known (for the error page's header and sign-out form). */
    adminPageVisitor?: import('./admin-page-session.service').AdminPageVisitor;
  }
}

const HEADINGS: Record<number, string> = {
  400: 'That did not work',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  429: 'Too many attempts',
  503: 'Briefly unavailable',
};

/**
 * Errors of the admin pages as HTML pages with the right status (403 for a tenant that is not
 * the admin's, 404 for an unknown one, 400 for bad dates) instead of the API's JSON. Anything
 * that is not a VitrineError is logged and shown as a 500 without its details.
 */
@Catch()
export class AdminPageErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('AdminPages');

  constructor(private readonly pages: AdminPageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    let status = 500;
    let message = 'Something went wrong on our side. Please try again.';
    // The database is down: 503 and when to come back, as the API answers (not a logged 500).
    if (!(exception instanceof VitrineError) && isDatabaseUnavailable(exception))
      exception = serviceUnavailable();
    if (exception instanceof VitrineError) {
      status = httpStatusFor(exception.code);
      message = exception.message;
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = exception.getStatus();
      message = exception.message;
    } else {
      this.log.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    if (status === 503) void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
    const visitor = req.adminPageVisitor ?? null;
    this.pages.send(reply, status, 'error', visitor, HEADINGS[status] ?? 'Error', {
      heading: HEADINGS[status] ?? 'Error',
      message,
      back: visitor?.admin ? ADMIN_PAGES.home : ADMIN_PAGES.login,
      backLabel: visitor?.admin ? 'Back to the tenants' : 'Sign in',
    });
  }
}
