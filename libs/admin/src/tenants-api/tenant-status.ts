/**
 * The life cycle of a tenant (the GraphQL enum TenantStatus). Its own file, free of GraphQL:
 * services use it without loading the admin schema's types (which import the admin module).
 */
export enum TenantStatusEnum {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  ARCHIVED = 'ARCHIVED',
}
