import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { CatalogDepth1764100000000 } from './1764100000000-catalog-depth';
import { Installation1764200000000 } from './1764200000000-installation';
import { Pricing1764300000000 } from './1764300000000-pricing';
import { Accounts1764400000000 } from './1764400000000-accounts';
import { Carts1764500000000 } from './1764500000000-carts';
import { Orders1764600000000 } from './1764600000000-orders';
import { WebSessions1764700000000 } from './1764700000000-web-sessions';
import { AdminAccounts1764800000000 } from './1764800000000-admin-accounts';
import { TenantSource1764810000000 } from './1764810000000-tenant-source';
import { KpiIndexes1764900000000 } from './1764900000000-kpi-indexes';
import { ImportJobs1765000000000 } from './1765000000000-import-jobs';

/** Every migration, in order. A new migration is added here (and only here). */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  CatalogDepth1764100000000,
  Installation1764200000000,
  Pricing1764300000000,
  Accounts1764400000000,
  Carts1764500000000,
  Orders1764600000000,
  WebSessions1764700000000,
  AdminAccounts1764800000000,
  TenantSource1764810000000,
  KpiIndexes1764900000000,
  ImportJobs1765000000000,
];
