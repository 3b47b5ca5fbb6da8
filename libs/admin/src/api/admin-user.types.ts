import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { PageInfoType } from '@vitrine/graphql';
// Circular on purpose and resolved lazily (at schema build): the module registers these types.
import { AdminApiModule } from './admin-api.module';
import { AdminAccountType } from './admin-account.types';

/** Admin types belong to the admin schema only (see admin.types.ts). */
const registerIn = () => AdminApiModule;

// Roles are strings in inputs (not the AdminRole enum), so an unknown one is answered by the
// service — BAD_USER_INPUT with its path, and a REFUSED row in the audit log — not by GraphQL
// validation, which would log nothing.

@InputType('CreateAdminUserInput', { registerIn })
export class CreateAdminUserInput {
  @Field({ description: 'Sign-in name; unique, stored lowercased.' }) email: string;
  @Field() name: string;
  @Field(() => [String], { description: 'SUPER_ADMIN, ACCOUNT_MANAGER and/or CATALOG_MANAGER.' })
  roles: string[];
  @Field(() => [String], {
    nullable: true,
    description: 'Slugs of the tenants assigned to an ACCOUNT_MANAGER (other roles: none).',
  })
  tenants?: string[] | null;
}

@InputType('UpdateAdminUserInput', {
  registerIn,
  description:
    'A field left out keeps its value. `tenants` replaces the assignments; they lapse when ACCOUNT_MANAGER goes.',
})
export class UpdateAdminUserInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [String], { nullable: true }) roles?: string[] | null;
  @Field(() => [String], { nullable: true }) tenants?: string[] | null;
}

@ObjectType('CreateAdminUserPayload', { registerIn })
export class CreateAdminUserPayloadType {
  @Field(() => AdminAccountType) admin: AdminAccountType;
  @Field({
    description:
      'The generated initial password (24 characters). Shown here once and stored only as a hash: pass it on safely.',
  })
  initialPassword: string;
}

@ObjectType('AdminAccountEdge', { registerIn })
export class AdminAccountEdgeType {
  @Field() cursor: string;
  @Field(() => AdminAccountType) node: AdminAccountType;
}

@ObjectType('AdminAccountConnection', { registerIn, description: 'Admin accounts by e-mail.' })
export class AdminAccountConnectionType {
  @Field(() => [AdminAccountEdgeType]) edges: AdminAccountEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
