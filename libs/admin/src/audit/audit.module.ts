import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service';

/** The audit log of admin changes (no resolvers: the admin API reads it through its own). */
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
