import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { MoneyType } from '@vitrine/pricing';

@ObjectType('CartLine')
export class CartLineType {
  @Field() sku: string;
  @Field() name: string;
  @Field(() => Int) quantity: number;
  @Field(() => MoneyType, {
    description: 'Excluding VAT. Refused (FORBIDDEN) for users who may not see prices.',
  })
  unitPrice: MoneyType;
  @Field(() => MoneyType) lineTotal: MoneyType;
}

@ObjectType('Cart')
export class CartType {
  @Field(() => [CartLineType]) lines: CartLineType[];
  @Field(() => MoneyType, { description: 'Sum of the lines, excluding VAT.' }) subtotal: MoneyType;
  @Field(() => MoneyType, {
    nullable: true,
    description:
      'Estimated for your default ship-to address (checkout uses the address you choose); null when unknown. Tax and total include it when known.',
  })
  shipping: MoneyType | null;
  @Field(() => MoneyType, { description: 'VAT, computed per line for the company’s country.' })
  tax: MoneyType;
  @Field(() => MoneyType) total: MoneyType;
}

@InputType('CartLineInput')
export class CartLineInput {
  @Field() sku: string;
  @Field(() => Int) quantity: number;
}

@ObjectType('RejectedLine')
export class RejectedLineType {
  @Field() sku: string;
  @Field() reason: string;
}

@ObjectType('AddLinesResult')
export class AddLinesResultType {
  @Field(() => CartType) cart: CartType;
  @Field(() => [RejectedLineType]) rejected: RejectedLineType[];
}
