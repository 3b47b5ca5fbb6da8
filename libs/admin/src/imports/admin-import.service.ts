import { Inject, Injectable } from '@nestjs/common';
import { access, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  ImportError,
  ImportJobService,
  type ImportJob,
  type ImportJobFilter,
} from '@vitrine/catalog';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { VitrineError } from '@vitrine/errors';
import { TenantDirectory, type AdminIdentity } from '@vitrine/tenancy';
import { AdminPolicy, auditActor, type AdminArea } from '../accounts/admin-policy';
import { AuditLog } from '../audit/audit-log.service';
import {
  ImportJobKindEnum,
  ImportJobStatusEnum,
  type AdminImportJobConnectionType,
  type AdminImportJobType,
} from './admin-import.types';
import { ADMIN_IMPORTS_PATH } from './admin-import-paths';
import { spoolUpload, tooLarge } from './spool';

/** The kinds as they appear in the upload path, with the policy area each belongs to. */
const AREAS: Record<string, AdminArea> = {
  catalog: 'CATALOG',
  'customer-skus': 'CATALOG',
  prices: 'PRICES',
};
export const IMPORT_KINDS = Object.keys(AREAS);

const KIND_ENUM: Record<string, ImportJobKindEnum> = {
  catalog: ImportJobKindEnum.CATALOG,
  'customer-skus': ImportJobKindEnum.CUSTOMER_SKUS,
  prices: ImportJobKindEnum.PRICES,
};
const KIND_OF_ENUM = Object.fromEntries(Object.entries(KIND_ENUM).map(([k, v]) => [v, k]));

/** Content types an upload may have, and the format each implies when `format` is not given. */
const FORMAT_OF_TYPE: Record<string, 'csv' | 'ndjson' | null> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/octet-stream': null,
};
export const UPLOAD_CONTENT_TYPES = Object.keys(FORMAT_OF_TYPE);

/** One upload as the HTTP route received it (the body not read yet). */
export interface ImportUpload {
  kind: string;
  query: { tenant?: string; format?: string; delimiter?: string };
  /** The media type without parameters, lowercased. */
  contentType: string | null;
  /** The declared length, when the client sent one. */
  contentLength: number | null;
  /** The raw body; null when there was none. */
  body: Readable | null;
}

/**
 * Imports through the admin API: an uploaded file is authorized first (catalog and customer SKUs
 * in the CATALOG area — customer SKUs bound to their tenant — prices in PRICES), then streamed
 * to the spool folder and run as a job by ImportJobService; the job is polled with `importJob`.
 * Starting is audited (`import.start`: APPLIED with kind, size and job id in the job's own
 * transaction; REFUSED with the reason for every refusal after the admin was identified).
 */
@Injectable()
export class AdminImportService {
  constructor(
    private readonly jobs: ImportJobService,
    private readonly tenants: TenantDirectory,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Authorizes, spools and starts an upload; answers the QUEUED job. */
  async upload(admin: AdminIdentity, upload: ImportUpload): Promise<AdminImportJobType> {
    const { kind } = upload;
    if (!AREAS[kind])
      throw VitrineError.notFound(
        `There is no import of "${kind}": use POST ${ADMIN_IMPORTS_PATH}/catalog, /prices or /customer-skus?tenant=<slug>.`,
      );
    let tenantId: string | null = null;
    let spooled: string | null = null;
    try {
      const slug = upload.query.tenant?.trim().toLowerCase();
      if (kind === 'customer-skus') {
        if (!slug)
          throw VitrineError.badInput(
            'A customer-skus import belongs to one tenant: add ?tenant=<slug> to the URL.',
            { field: 'tenant' },
          );
        const tenant = await this.tenants.findBySlug(slug);
        if (!tenant) throw VitrineError.notFound(`There is no tenant "${slug}".`);
        tenantId = tenant.id;
        AdminPolicy.require(admin, AREAS[kind], tenant.id, tenant.slug);
      } else {
        AdminPolicy.require(admin, AREAS[kind], null);
        if (slug)
          throw VitrineError.badInput(
            `A ${kind} import is not bound to a tenant: leave out ?tenant= (the file's rows name their tenants or price lists themselves).`,
            { field: 'tenant' },
          );
      }
      const format = this.format(upload);
      const delimiter = upload.query.delimiter;
      if (
        delimiter !== undefined &&
        (format !== 'csv' || [...delimiter].length !== 1 || /[\r\n"]/.test(delimiter))
      )
        throw VitrineError.badInput(
          format !== 'csv'
            ? 'delimiter applies to CSV files only.'
            : `delimiter must be one character other than a quote or line break (e.g. ";" or "%09" for a tab); got "${delimiter}".`,
          { field: 'delimiter' },
        );
      const max = this.config.imports.maxUploadBytes;
      if (upload.contentLength !== null && upload.contentLength > max) throw tooLarge(max);
      if (!upload.body || upload.contentLength === 0)
        throw VitrineError.badInput(
          'The request body is empty: send the file itself as the body (curl --data-binary @file.csv).',
        );
      const file = await spoolUpload(upload.body, this.config.imports.spoolDir, format, max);
      spooled = file.path;
      const id = await this.jobs.start(kind, file.path, {
        format,
        delimiter,
        tenantSlug: slug,
        sizeBytes: file.sizeBytes,
        requestedBy: { id: admin.id ?? null, name: admin.subject },
        removeSource: true,
        onRecorded: (em, job) =>
          this.audit.record(em, {
            actor: auditActor(admin),
            action: 'import.start',
            tenantId: job.tenantId,
            target: job.id,
            before: null,
            after: { job: job.id, kind, format, sizeBytes: file.sizeBytes, tenant: slug ?? null },
            outcome: 'APPLIED',
          }),
      });
      spooled = null; // the job owns it now
      const job = await this.jobs.get(id);
      return toImportJob(job!);
    } catch (err) {
      if (spooled) await unlink(spooled).catch(() => undefined);
      const error =
        err instanceof ImportError ? VitrineError.badInput(err.message) : (err as Error);
      await this.audit.refused({
        actor: auditActor(admin),
        action: 'import.start',
        tenantId,
        target: kind,
        before: null,
        after: null,
        reason: error instanceof VitrineError ? `${error.code}: ${error.message}` : String(error),
      });
      throw error;
    }
  }

  /** A job the admin may see; null for an unknown one or another tenant's. */
  async get(admin: AdminIdentity, id: string): Promise<AdminImportJobType | null> {
    this.requireAnyArea(admin);
    const job = await this.jobs.get(id);
    return job && this.visible(admin, job) ? toImportJob(job) : null;
  }

  /** Jobs newest first, narrowed to what the admin may see. */
  async list(
    admin: AdminIdentity,
    filter: {
      kind: ImportJobKindEnum | null;
      status: ImportJobStatusEnum | null;
      first: number;
      after: string | null;
    },
  ): Promise<AdminImportJobConnectionType> {
    const max = this.config.graphql.maxFirst;
    if (!Number.isInteger(filter.first) || filter.first < 1 || filter.first > max)
      throw VitrineError.badInput(`"first" must be between 1 and ${max}; got ${filter.first}.`);
    const kinds = filter.kind ? [KIND_OF_ENUM[filter.kind]] : IMPORT_KINDS;
    if (filter.kind) AdminPolicy.requireUse(admin, AREAS[kinds[0]]);
    else this.requireAnyArea(admin);
    const visible = kinds.flatMap((kind): ImportJobFilter['visible'] => {
      const scope = AdminPolicy.scope(admin, AREAS[kind]);
      if (scope.all) return [{ kind, tenantIds: null }];
      return kind === 'customer-skus' && scope.tenantIds.length
        ? [{ kind, tenantIds: scope.tenantIds }]
        : [];
    });
    let afterId: string | null = null;
    if (filter.after) {
      afterId = Buffer.from(filter.after, 'base64url').toString('utf8');
      if (!/^[0-9a-f-]{36}$/i.test(afterId))
        throw VitrineError.badInput('"after" is not a cursor of this list.', { field: 'after' });
    }
    const jobs = await this.jobs.list({
      visible,
      status: filter.status,
      first: filter.first,
      afterId,
    });
    const page = jobs.slice(0, filter.first);
    const cursor = (j: ImportJob) => Buffer.from(j.id, 'utf8').toString('base64url');
    return {
      edges: page.map((j) => ({ cursor: cursor(j), node: toImportJob(j) })),
      pageInfo: {
        hasNextPage: jobs.length > filter.first,
        endCursor: page.length ? cursor(page[page.length - 1]) : null,
      },
    };
  }

  /**
   * The reject file of a job the admin may see. NOT_FOUND for an unknown job, another tenant's
   * (refused in the audit log, without saying so to the caller), a job without rejects, or a
   * file no longer on this instance's disk.
   */
  async rejects(admin: AdminIdentity, id: string): Promise<{ path: string; filename: string }> {
    this.requireAnyArea(admin);
    const job = await this.jobs.get(id);
    const notFound = () => VitrineError.notFound(`There is no import job "${id}".`);
    if (!job) throw notFound();
    if (!this.visible(admin, job)) {
      await this.audit.refused({
        actor: auditActor(admin),
        action: 'import.rejects',
        tenantId: job.tenantId,
        target: job.id,
        before: null,
        after: null,
        reason: `FORBIDDEN: the ${job.kind} import of ${job.tenantSlug ?? 'the seller'} is outside the admin's areas or tenants`,
      });
      throw notFound();
    }
    if (!job.rejectFile)
      throw VitrineError.notFound(
        job.status === 'SUCCEEDED'
          ? `Import job "${id}" rejected no rows: there is no reject file.`
          : `Import job "${id}" is ${job.status}: it has no reject file${job.status === 'FAILED' ? '' : ' yet'}.`,
      );
    try {
      await access(job.rejectFile);
    } catch {
      throw VitrineError.notFound(
        `The reject file of import job "${id}" is not on this instance's disk (removed, or written by another instance: IMPORT_SPOOL_DIR must be a folder every instance shares).`,
      );
    }
    return { path: job.rejectFile, filename: `${job.kind}-${job.id}.rejects.csv` };
  }

  private visible(admin: AdminIdentity, job: ImportJob): boolean {
    const area = AREAS[job.kind];
    return !!area && AdminPolicy.can(admin, area, job.tenantId);
  }

  /** FORBIDDEN for an admin who may use neither the catalog nor prices. */
  private requireAnyArea(admin: AdminIdentity): void {
    if (AdminPolicy.canUse(admin, 'CATALOG') || AdminPolicy.canUse(admin, 'PRICES')) return;
    AdminPolicy.requireUse(admin, 'CATALOG');
  }

  private format(upload: ImportUpload): 'csv' | 'ndjson' {
    const requested = upload.query.format?.trim().toLowerCase();
    if (requested) {
      if (requested !== 'csv' && requested !== 'ndjson')
        throw VitrineError.badInput(`format must be csv or ndjson; got "${upload.query.format}".`, {
          field: 'format',
        });
      return requested;
    }
    return (upload.contentType && FORMAT_OF_TYPE[upload.contentType]) || 'csv';
  }
}

export function toImportJob(job: ImportJob): AdminImportJobType {
  return {
    id: job.id,
    kind: KIND_ENUM[job.kind],
    status: job.status as ImportJobStatusEnum,
    tenantSlug: job.tenantSlug,
    format: job.format,
    sizeBytes: job.sizeBytes,
    rowsRead: job.rowsRead,
    rowsCreated: job.rowsCreated,
    rowsUpdated: job.rowsUpdated,
    rowsUnchanged: job.rowsUnchanged,
    rowsRejected: job.rowsRejected,
    error: job.error,
    hasRejects: job.rejectFile !== null,
    rejectsUrl: job.rejectFile !== null ? `${ADMIN_IMPORTS_PATH}/${job.id}/rejects` : null,
    requestedBy: job.requestedByName,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
