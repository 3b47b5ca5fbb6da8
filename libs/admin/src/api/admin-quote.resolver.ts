import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminQuoteQueryService, QuoteOfferService } from '@vitrine/ordering';
import { AdminOnly } from './admin-access';
import { toAdminQuote, toConnection } from './admin.mapping';
import {
  AdminQuoteConnectionType,
  AdminQuoteType,
  QuoteOfferLineInput,
  QuoteStatusEnum,
} from './admin.types';

/** Quotes across tenants, and the seller's offer. */
@Resolver()
export class AdminQuoteResolver {
  constructor(
    private readonly quoteQueries: AdminQuoteQueryService,
    private readonly offers: QuoteOfferService,
  ) {}

  @AdminOnly()
  @Query(() => AdminQuoteConnectionType, { description: "Every tenant's quotes, newest first." })
  async quotes(
    @Args('status', { type: () => QuoteStatusEnum, nullable: true }) status: QuoteStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminQuoteConnectionType> {
    return toConnection(await this.quoteQueries.list({ status, first: first ?? 50, after }), toAdminQuote);
  }

  @AdminOnly()
  @Mutation(() => AdminQuoteType, {
    description:
      'Offer a price for every line of a REQUESTED or OFFERED quote (a re-offer replaces the prices) and e-mail the offer to its contact.',
  })
  async offerQuote(
    @Args('number') number: string,
    @Args('lines', { type: () => [QuoteOfferLineInput] }) lines: QuoteOfferLineInput[],
    @Args('validUntil', { type: () => Date }) validUntil: Date,
  ): Promise<AdminQuoteType> {
    return toAdminQuote(await this.offers.offer(number, lines, validUntil));
  }
}
