import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '@vitrine/graphql';

export enum PriceSourceEnum {
  CONTRACT = 'CONTRACT',
  PRICE_LIST = 'PRICE_LIST',
  DISCOUNT = 'DISCOUNT',
  LIST = 'LIST',
  QUOTE = 'QUOTE',
}
registerEnumType(PriceSourceEnum, { name: 'PriceSource', description: 'Where a price came from.' });

@ObjectType('Money')
export class MoneyType {
  @Field(() => DecimalScalar, { description: 'Decimal string, e.g. "12.50".' }) amount: string;
  @Field() currency: string;
}

@ObjectType('Price')
export class PriceType {
  @Field(() => MoneyType) unit: MoneyType;
  @Field(() => PriceSourceEnum) source: PriceSourceEnum;
  @Field(() => DecimalScalar, {
    description: 'Prices are excluding VAT; this is the VAT percentage, e.g. "21.00".',
  })
  taxRate: string;
  @Field(() => String, {
    nullable: true,
    description:
      'Legal VAT mention when the rate is 0 % by rule (intra-EU reverse charge, export), in the page locale.',
  })
  taxNote: string | null;
  @Field(() => Int, { description: 'The quantity tier that applied.' }) minQuantity: number;
}

@ObjectType('TierPrice')
export class TierPriceType {
  @Field(() => Int) minQuantity: number;
  @Field(() => MoneyType) unit: MoneyType;
}
