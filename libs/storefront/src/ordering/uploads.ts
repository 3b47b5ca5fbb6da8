import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { QUICK_ORDER_MAX_BYTES, type UploadedFile } from './quick-order-lines';

/**
 * Multipart forms of the microsite (the quick-order upload): every field lands in `req.body` as
 * a string and the file as an {@link UploadedFile}, before guards run — so CsrfGuard reads
 * `_csrf` from an upload form as from any other. A file over 5 MB is refused with 413 before the
 * handler runs (nothing added); one file per request, a few small fields.
 */
export async function registerSiteUploads(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: {
      fileSize: QUICK_ORDER_MAX_BYTES,
      files: 1,
      fields: 20,
      fieldSize: 1_000_000,
      parts: 24,
    },
    async onFile(part: MultipartFile) {
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new VitrineError(
            'PAYLOAD_TOO_LARGE',
            `${part.filename || 'The file'} is larger than ${QUICK_ORDER_MAX_BYTES / 1_000_000} MB; split it into smaller files.`,
          );
        throw err;
      }
      const file: UploadedFile = { filename: part.filename, mimetype: part.mimetype, data };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
}
