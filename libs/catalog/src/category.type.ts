import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Category')
export class CategoryType {
  @Field() slug: string;
  @Field() name: string;
  @Field(() => CategoryType, { nullable: true }) parent?: CategoryType | null;
  /** Internal: resolves `parent`. */
  parentId: number | null;
}
