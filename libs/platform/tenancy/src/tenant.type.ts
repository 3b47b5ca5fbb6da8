import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Theme')
export class ThemeType {
  @Field() primaryColor: string;
  @Field(() => String, { nullable: true }) secondaryColor: string | null;
  @Field(() => String, { nullable: true }) fontFamily: string | null;
  @Field(() => String, { nullable: true }) logoUrl: string | null;
}

@ObjectType('Tenant', { description: 'The microsite this host belongs to.' })
export class TenantType {
  @Field(() => ID, {
    description: 'Stable identifier of the site; access tokens are bound to it (`tenant` claim).',
  })
  id: string;
  @Field() slug: string;
  @Field() name: string;
  @Field({
    description:
      'The locale of this request: the first of `locales` the client accepts, else the default.',
  })
  locale: string;
  @Field(() => [String]) locales: string[];
  @Field() currency: string;
  @Field(() => ThemeType) theme: ThemeType;
  @Field({
    description:
      'True when anonymous visitors may browse (prospect sites); key-account sites are behind a login.',
  })
  publicBrowsing: boolean;
  @Field({ description: "Whether the seller's advisory list prices are shown on this site." })
  showListPrices: boolean;
}
