import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum RoleEnum {
  VIEWER = 'VIEWER',
  REQUISITIONER = 'REQUISITIONER',
  BUYER = 'BUYER',
  APPROVER = 'APPROVER',
  COMPANY_ADMIN = 'COMPANY_ADMIN',
}
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'VIEWER browses; REQUISITIONER fills carts and submits for approval; BUYER orders within a spend limit; APPROVER approves; COMPANY_ADMIN manages the users.',
});

@ObjectType('Company')
export class CompanyType {
  @Field() name: string;
}

@ObjectType('User')
export class UserType {
  @Field() email: string;
  @Field() name: string;
  @Field(() => CompanyType, { nullable: true }) company: CompanyType | null;
  @Field(() => [RoleEnum]) roles: RoleEnum[];
  @Field({
    description: 'False when the company admin lets this user order without seeing prices.',
  })
  canSeePrices: boolean;
}

@ObjectType('AuthPayload')
export class AuthPayloadType {
  @Field({ description: 'Send as `Authorization: Bearer <accessToken>`; valid on this site only.' })
  accessToken: string;
  @Field({
    description:
      'Exchange with `refreshSession` for a new pair before the access token expires; single use.',
  })
  refreshToken: string;
  @Field(() => Int, { description: 'Seconds until the access token expires.' })
  expiresIn: number;
  @Field(() => UserType) user: UserType;
}
