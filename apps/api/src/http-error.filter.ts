import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  errorBody,
  isDatabaseUnavailable,
  serviceUnavailable,
  UNAVAILABLE_RETRY_AFTER_S,
  VitrineError,
  type ErrorCode,
} from '@vitrine/errors';

/**
 * Errors of plain HTTP routes, body parsing and unknown paths, answered in the same shape and
 * codes as GraphQL errors. GraphQL errors are not touched: Apollo's formatError handles them.
 *
 * In any other context (GraphQL resolvers and guards) the exception is rethrown, never returned:
 * Nest makes a filter's return value the resolver's *result*, and graphql-js treats a returned
 * value as an error only when it is `instanceof Error` of its own realm. A socket error of
 * node-postgres (created by Node's `net`, another realm under Jest) or a thrown non-Error would
 * otherwise become data: `addLinesToCart` answered 200 with a null `rejected` instead of 503
 * while PostgreSQL was down.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('HTTP');

  constructor(
    private readonly bodyLimitBytes: number,
    /**
     * A page for the error in the tenant's theme, when the request is a microsite page (not an
     * API call); null to answer JSON.
     */
    private readonly htmlPage: (
      request: FastifyRequest,
      status: number,
      message: string,
      code: string,
      /** The error itself, for a page that says the message in its own language. */
      exception: unknown,
    ) => string | null = () => null,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const [status, code, message] = this.describe(
      exception,
      `${request.method} ${request.url.split('?', 1)[0]}`,
    );
    // The database is down (tenant lookup, page data): fail fast and say when to come back.
    if (status === 503) void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
    const page = this.htmlPage(request, status, status >= 500 ? '' : message, code, exception);
    if (page !== null)
      return reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(page);
    return reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(code, message));
  }

  private describe(exception: unknown, where: string): [number, ErrorCode, string] {
    if (exception instanceof VitrineError)
      return [exception.httpStatus, exception.code, exception.message];
    if (isDatabaseUnavailable(exception)) {
      const unavailable = serviceUnavailable();
      return [503, unavailable.code, unavailable.message];
    }
    // Nest wraps Fastify's own errors (body too large, no parser for the content type) in HttpExceptions.
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : ((exception as { statusCode?: number } | null)?.statusCode ?? 500);
    switch (status) {
      case 404:
        return [404, 'NOT_FOUND', `Nothing is served at ${where}.`];
      case 413:
        return [
          413,
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than ${this.bodyLimitBytes} bytes.`,
        ];
      case 415:
        return [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json.'];
    }
    if (status >= 400 && status < 500)
      return [status, 'BAD_USER_INPUT', (exception as Error).message];
    this.log.error(exception);
    return [500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side.'];
  }
}
