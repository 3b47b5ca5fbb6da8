import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoType } from '@vitrine/graphql';
import { MoneyType } from '@vitrine/pricing';
import { CartLineInput } from './cart.types';
import { QuoteStatusEnum } from './seller/statuses';

@InputType('QuoteRequestInput')
export class QuoteRequestInput {
  @Field(() => [CartLineInput]) lines: CartLineInput[];
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Required when anonymous (prospect); default: your own e-mail.',
  })
  contactEmail?: string | null;
}

@ObjectType('QuoteLine')
export class QuoteLineType {
  @Field() sku: string;
  @Field() name: string;
  @Field(() => Int) quantity: number;
  @Field(() => MoneyType, { nullable: true, description: 'Null until the seller offers.' })
  offeredUnitPrice: MoneyType | null;
}

@ObjectType('Quote')
export class QuoteType {
  @Field() number: string;
  @Field(() => QuoteStatusEnum) status: QuoteStatusEnum;
  @Field(() => [QuoteLineType]) lines: QuoteLineType[];
  @Field(() => Date, { nullable: true }) validUntil: Date | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field() contactEmail: string;
  @Field() createdAt: Date;
  @Field(() => String, { nullable: true, description: 'The order, once accepted.' })
  orderNumber: string | null;
}

@ObjectType('QuoteEdge')
export class QuoteEdgeType {
  @Field() cursor: string;
  @Field(() => QuoteType) node: QuoteType;
}

@ObjectType('QuoteConnection')
export class QuoteConnectionType {
  @Field(() => [QuoteEdgeType]) edges: QuoteEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
