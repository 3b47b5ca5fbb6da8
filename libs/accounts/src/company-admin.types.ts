import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '@vitrine/graphql';
import { RoleEnum } from './accounts.types';

export enum UserStatusEnum {
  INVITED = 'INVITED',
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatusEnum, { name: 'UserStatus' });

export enum AddressKindEnum {
  BILLING = 'BILLING',
  SHIPPING = 'SHIPPING',
}
registerEnumType(AddressKindEnum, { name: 'AddressKind' });

@ObjectType('CompanyUser', { description: 'A user of your company, as its administrators see it.' })
export class CompanyUserType {
  @Field() email: string;
  @Field() name: string;
  @Field(() => [RoleEnum]) roles: RoleEnum[];
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Largest order this user may place without approval, in the site currency; null: no limit.',
  })
  spendLimit: string | null;
  @Field() canSeePrices: boolean;
  @Field(() => UserStatusEnum) status: UserStatusEnum;
}

@InputType('InviteUserInput')
export class InviteUserInput {
  @Field() email: string;
  @Field() name: string;
  @Field(() => [RoleEnum]) roles: RoleEnum[];
  @Field(() => DecimalScalar, { nullable: true }) spendLimit?: string | null;
  @Field({ nullable: true, defaultValue: true }) canSeePrices?: boolean;
}

@InputType('UpdateUserInput', { description: 'Fields left out stay as they are.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [RoleEnum], { nullable: true }) roles?: RoleEnum[] | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Send null to remove the limit.' })
  spendLimit?: string | null;
  @Field(() => Boolean, { nullable: true }) canSeePrices?: boolean | null;
}

@ObjectType('Address')
export class AddressType {
  @Field(() => ID) id: string;
  @Field(() => AddressKindEnum) kind: AddressKindEnum;
  @Field(() => String, { nullable: true }) label: string | null;
  @Field() name: string;
  @Field() street: string;
  @Field() postalCode: string;
  @Field() city: string;
  @Field() country: string;
  @Field() isDefault: boolean;
}

@InputType('AddressInput')
export class AddressInput {
  @Field(() => AddressKindEnum) kind: AddressKindEnum;
  @Field({ nullable: true }) label?: string;
  @Field() name: string;
  @Field() street: string;
  @Field() postalCode: string;
  @Field() city: string;
  @Field({ description: 'ISO 3166 code, e.g. NL' }) country: string;
  @Field({ nullable: true }) isDefault?: boolean;
}

@ObjectType('CostCentre', { description: 'A budget an order can be booked on.' })
export class CostCentreType {
  @Field() code: string;
  @Field() name: string;
  @Field({ description: 'Inactive cost centres cannot be chosen for new orders.' }) active: boolean;
}
