import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, VitrineError } from '@vitrine/errors';
import { ADMIN_IMPORTS_PATH } from './admin-import-paths';
import { UPLOAD_CONTENT_TYPES, type AdminImportService } from './admin-import.service';

const JSON_TYPE = 'application/json; charset=utf-8';

function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The HTTP half of imports as jobs, on the admin host (the admin host hook has already refused
 * other hosts and requests without a valid admin token, and set `req.adminIdentity`):
 *
 * - `POST /admin/imports/{catalog|prices|customer-skus}` — the body is the file itself
 *   (text/csv, application/x-ndjson or application/octet-stream), streamed to the spool folder;
 *   answers 202 with the job (poll `importJob(id)` on /admin/graphql);
 * - `GET /admin/imports/<id>/rejects` — the job's reject file (CSV).
 *
 * In its own encapsulated plugin: the raw-body content types exist on these routes only (a
 * microsite's /graphql still refuses text/csv), and errors are answered here as JSON.
 */
export async function registerAdminImportRoutes(
  fastify: FastifyInstance,
  imports: AdminImportService,
): Promise<void> {
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The body stays a stream: AdminImportService spools it after the policy check.
    scope.addContentTypeParser(UPLOAD_CONTENT_TYPES, (_req, payload, done) => done(null, payload));
    scope.setErrorHandler((err: FastifyError, req, reply) => {
      if (err instanceof VitrineError) return send(reply, err);
      if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        return send(
          reply,
          new VitrineError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Send the file itself as the body with Content-Type ${UPLOAD_CONTENT_TYPES.join(', ')} (no multipart form).`,
          ),
        );
      req.log.error(err);
      return send(
        reply,
        new VitrineError('INTERNAL_SERVER_ERROR', 'Something went wrong on our side.'),
      );
    });

    scope.post(`${ADMIN_IMPORTS_PATH}/:kind`, async (req: FastifyRequest, reply: FastifyReply) => {
      const admin = req.adminIdentity!;
      const query = (req.query ?? {}) as Record<string, unknown>;
      const length = req.headers['content-length'];
      const job = await imports.upload(admin, {
        kind: (req.params as { kind: string }).kind,
        query: {
          tenant: one(query.tenant),
          format: one(query.format),
          delimiter: one(query.delimiter),
        },
        contentType: req.headers['content-type']?.split(';', 1)[0].trim().toLowerCase() ?? null,
        contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
        body: isStream(req.body) ? req.body : null,
      });
      return reply
        .code(202)
        .header('content-type', JSON_TYPE)
        .header('cache-control', 'no-store')
        .send(job);
    });

    scope.get(
      `${ADMIN_IMPORTS_PATH}/:id/rejects`,
      async (req: FastifyRequest, reply: FastifyReply) => {
        const file = await imports.rejects(req.adminIdentity!, (req.params as { id: string }).id);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .send(createReadStream(file.path));
      },
    );
  });
}

function isStream(body: unknown): body is Readable {
  return (
    !!body &&
    typeof (body as Readable).pipe === 'function' &&
    typeof (body as Readable).on === 'function'
  );
}

function send(reply: FastifyReply, err: VitrineError): FastifyReply {
  // A refusal before the body was read (403, 413, 400): do not keep a half-sent upload alive.
  if (reply.request.body && isStream(reply.request.body) && !reply.request.body.readableEnded)
    reply.header('connection', 'close');
  if (err.code === 'UNAUTHENTICATED')
    reply.header('www-authenticate', 'Bearer realm="vitrine-admin"');
  return reply
    .code(err.httpStatus)
    .header('content-type', JSON_TYPE)
    .header('cache-control', 'no-store')
    .send(
      err.details
        ? JSON.stringify({
            errors: [{ message: err.message, extensions: { ...err.details, code: err.code } }],
          })
        : errorBody(err.code, err.message),
    );
}
