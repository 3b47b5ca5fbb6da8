import { Field, ObjectType } from '@nestjs/graphql';

/** Relay-style page information shared by every connection type. */
@ObjectType('PageInfo')
export class PageInfoType {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}
