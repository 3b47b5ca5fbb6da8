import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('OrderListLine')
export class OrderListLineType {
  @Field() sku: string;
  @Field() name: string;
  @Field(() => Int) quantity: number;
}

@ObjectType('OrderList', { description: 'A saved list of articles, own or shared in the company.' })
export class OrderListType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'Shared lists are visible to everyone in the company.' }) shared: boolean;
  @Field() ownerName: string;
  @Field({ description: 'True when you own it (and may change it).' }) mine: boolean;
  @Field() updatedAt: Date;
  @Field(() => [OrderListLineType]) lines: OrderListLineType[];
}
