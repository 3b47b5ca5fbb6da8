/**
 * Companies provisioned from files get an id derived from (tenant id, company code): the same
 * folder synced into a fresh database gives each company the same id relative to its tenant,
 * and tools that know a tenant's id and a company's code (the benchmark minting a buyer's
 * access token) can address it without database access. `$1` is the tenant id, `$2` the code.
 */
export const COMPANY_ID_SQL = `md5($1::uuid::text || '/' || $2::text)::uuid`;
