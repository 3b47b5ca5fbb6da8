export * from './audit-log.service';
export * from './audited-change.service';
export * from './audit-query.service';
export * from './audit.module';
