import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service';
import { AuditQueryService } from './audit-query.service';
import { AuditedChanges } from './audited-change.service';

/** The audit log of admin changes (no resolvers: the admin API reads it through its own). */
@Module({
  providers: [AuditLog, AuditedChanges, AuditQueryService],
  exports: [AuditLog, AuditedChanges, AuditQueryService],
})
export class AuditModule {}
