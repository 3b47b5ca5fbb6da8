import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoType } from '@vitrine/graphql';
// Circular on purpose and resolved lazily (at schema build): the module registers these types.
import { AdminApiModule } from './admin-api.module';

/** Admin types belong to the admin schema only (see admin.types.ts). */
const registerIn = () => AdminApiModule;

export enum AdminRoleEnum {
  SUPER_ADMIN = 'SUPER_ADMIN',
  ACCOUNT_MANAGER = 'ACCOUNT_MANAGER',
  CATALOG_MANAGER = 'CATALOG_MANAGER',
}
registerEnumType(AdminRoleEnum, {
  name: 'AdminRole',
  description:
    'SUPER_ADMIN: everything. ACCOUNT_MANAGER: quotes, orders, tenants and the audit log of the tenants assigned to them. CATALOG_MANAGER: the catalog and price imports.',
});

export enum AdminStatusEnum {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(AdminStatusEnum, { name: 'AdminStatus' });

export enum AuditOutcomeEnum {
  APPLIED = 'APPLIED',
  REFUSED = 'REFUSED',
}
registerEnumType(AuditOutcomeEnum, {
  name: 'AuditOutcome',
  description: 'APPLIED: the change was made. REFUSED: it was refused and nothing was applied.',
});

@ObjectType('AdminAccount', { registerIn, description: "An admin of the seller's organisation." })
export class AdminAccountType {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() name: string;
  @Field(() => [AdminRoleEnum]) roles: AdminRoleEnum[];
  @Field(() => AdminStatusEnum) status: AdminStatusEnum;
  @Field(() => [String], { description: 'Slugs of the tenants assigned to an account manager.' })
  tenants: string[];
  @Field(() => Date) createdAt: Date;
}

@ObjectType('AdminLoginPayload', { registerIn })
export class AdminLoginPayloadType {
  @Field({ description: 'Send as "Authorization: Bearer <token>" to /admin/graphql.' })
  token: string;
  @Field(() => Date) expiresAt: Date;
  @Field(() => AdminAccountType) admin: AdminAccountType;
}

@ObjectType('AuditEntry', {
  registerIn,
  description: 'One admin change, or one refused attempt: who, what, when, before and after.',
})
export class AuditEntryType {
  @Field(() => ID) id: string;
  @Field(() => Date) at: Date;
  @Field({ description: "The admin account's id, or a bootstrap token's subject." })
  actor: string;
  @Field(() => String, { nullable: true, description: "The admin account's e-mail, if any." })
  actorEmail: string | null;
  @Field({
    description: 'What was done: tenant.create, quote.offer, order.status, admin.create, …',
  })
  action: string;
  @Field(() => String, { nullable: true, description: 'Null for the seller’s own data.' })
  tenantSlug: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'What was changed: a number, slug or e-mail.',
  })
  target: string | null;
  @Field(() => String, { nullable: true, description: 'The state before, as JSON text.' })
  before: string | null;
  @Field(() => String, { nullable: true, description: 'The state after, as JSON text.' })
  after: string | null;
  @Field(() => AuditOutcomeEnum) outcome: AuditOutcomeEnum;
  @Field(() => String, { nullable: true, description: 'Why it was refused (code: message).' })
  reason: string | null;
}

@ObjectType('AuditEntryEdge', { registerIn })
export class AuditEntryEdgeType {
  @Field() cursor: string;
  @Field(() => AuditEntryType) node: AuditEntryType;
}

@ObjectType('AuditEntryConnection', { registerIn })
export class AuditEntryConnectionType {
  @Field(() => [AuditEntryEdgeType]) edges: AuditEntryEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
