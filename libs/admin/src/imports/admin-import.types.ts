import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoType } from '@vitrine/graphql';
// Circular on purpose and resolved lazily (at schema build), as in admin.types.ts.
import { AdminApiModule } from '../api/admin-api.module';

const registerIn = () => AdminApiModule;

export enum ImportJobKindEnum {
  CATALOG = 'CATALOG',
  PRICES = 'PRICES',
  CUSTOMER_SKUS = 'CUSTOMER_SKUS',
}
registerEnumType(ImportJobKindEnum, {
  name: 'ImportJobKind',
  registerIn,
  description:
    'CATALOG: products and variants (POST /admin/imports/catalog); PRICES: list prices, price-list entries and contract prices (/admin/imports/prices); CUSTOMER_SKUS: one tenant’s customer article numbers (/admin/imports/customer-skus?tenant=<slug>).',
});

export enum ImportJobStatusEnum {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(ImportJobStatusEnum, {
  name: 'ImportJobStatus',
  registerIn,
  description:
    'QUEUED → RUNNING → SUCCEEDED (rejected rows included) or FAILED (the file as a whole could not be imported, or the import was interrupted).',
});

@ObjectType('AdminImportJob', {
  registerIn,
  description:
    'An import started through POST /admin/imports/<kind>; poll it until SUCCEEDED or FAILED.',
})
export class AdminImportJobType {
  @Field(() => ID) id: string;
  @Field(() => ImportJobKindEnum) kind: ImportJobKindEnum;
  @Field(() => ImportJobStatusEnum) status: ImportJobStatusEnum;
  @Field(() => String, { nullable: true, description: 'CUSTOMER_SKUS only: the tenant’s slug.' })
  tenantSlug: string | null;
  @Field({ description: 'csv or ndjson.' }) format: string;
  @Field(() => Float, { nullable: true, description: 'Size of the uploaded file in bytes.' })
  sizeBytes: number | null;
  @Field(() => Int, { description: 'Rows read so far (data rows, header excluded).' })
  rowsRead: number;
  @Field(() => Int) rowsCreated: number;
  @Field(() => Int) rowsUpdated: number;
  @Field(() => Int) rowsUnchanged: number;
  @Field(() => Int, { description: 'Rows not imported; each reason is in the reject file.' })
  rowsRejected: number;
  @Field(() => String, {
    nullable: true,
    description: 'Why the job FAILED, in words an admin can act on.',
  })
  error: string | null;
  @Field({ description: 'Whether GET /admin/imports/<id>/rejects has a reject file.' })
  hasRejects: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'The path of the reject file on the admin host, when there is one.',
  })
  rejectsUrl: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Who started it: the admin account’s e-mail, or a bootstrap token’s subject.',
  })
  requestedBy: string | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
}

@ObjectType('AdminImportJobEdge', { registerIn })
export class AdminImportJobEdgeType {
  @Field() cursor: string;
  @Field(() => AdminImportJobType) node: AdminImportJobType;
}

@ObjectType('AdminImportJobConnection', { registerIn })
export class AdminImportJobConnectionType {
  @Field(() => [AdminImportJobEdgeType]) edges: AdminImportJobEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
