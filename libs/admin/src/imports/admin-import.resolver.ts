import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminOnly, CurrentAdmin } from '../api/admin-access';
import { AdminImportService } from './admin-import.service';
import {
  AdminImportJobConnectionType,
  AdminImportJobType,
  ImportJobKindEnum,
  ImportJobStatusEnum,
} from './admin-import.types';

/** Imports started with POST /admin/imports/<kind>, polled here. */
@Resolver()
export class AdminImportResolver {
  constructor(private readonly imports: AdminImportService) {}

  @AdminOnly()
  @Query(() => AdminImportJobType, {
    nullable: true,
    description:
      'One import job, to poll until SUCCEEDED or FAILED; null for an unknown id or a job of a tenant outside your scope (FORBIDDEN without the catalog or prices area).',
  })
  importJob(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AdminImportJobType | null> {
    return this.imports.get(admin, id);
  }

  @AdminOnly()
  @Query(() => AdminImportJobConnectionType, {
    description:
      'Import jobs newest first, those you may see: catalog and customer SKUs with the catalog, prices with prices.',
  })
  importJobs(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('kind', { type: () => ImportJobKindEnum, nullable: true }) kind: ImportJobKindEnum | null,
    @Args('status', { type: () => ImportJobStatusEnum, nullable: true })
    status: ImportJobStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminImportJobConnectionType> {
    return this.imports.list(admin, { kind, status, first: first ?? 50, after });
  }
}
