import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminQuoteQueryService, QuoteOfferService, type SellerQuote } from '@vitrine/ordering';
import { formatDecimal } from '@vitrine/pricing';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { AuditedChanges } from '../audit/audited-change.service';
import { AdminOnly, CurrentAdmin } from './admin-access';
import { toAdminQuote, toConnection } from './admin.mapping';
import {
  AdminQuoteConnectionType,
  AdminQuoteType,
  QuoteOfferLineInput,
  QuoteStatusEnum,
} from './admin.types';

/** What the audit log keeps of a quote before and after an offer. */
function quoteState(q: SellerQuote) {
  return {
    status: q.status,
    validUntil: q.validUntil,
    currency: q.currency,
    lines: q.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      offeredUnitPrice:
        l.offeredUnitMinor === null ? null : formatDecimal(l.offeredUnitMinor, q.currency),
    })),
  };
}

/** Quotes across tenants (an account manager's tenants only), and the seller's offer. */
@Resolver()
export class AdminQuoteResolver {
  constructor(
    private readonly quoteQueries: AdminQuoteQueryService,
    private readonly offers: QuoteOfferService,
    private readonly gate: AdminGate,
    private readonly changes: AuditedChanges,
  ) {}

  @AdminOnly()
  @Query(() => AdminQuoteConnectionType, {
    description: "Every tenant's quotes (an account manager's tenants' only), newest first.",
  })
  async quotes(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('status', { type: () => QuoteStatusEnum, nullable: true }) status: QuoteStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminQuoteConnectionType> {
    const tenantIds = this.gate.listScope(admin, 'QUOTES');
    return toConnection(
      await this.quoteQueries.list({ status, tenantIds, first: first ?? 50, after }),
      toAdminQuote,
    );
  }

  @AdminOnly()
  @Mutation(() => AdminQuoteType, {
    description:
      'Offer a price for every line of a REQUESTED or OFFERED quote (a re-offer replaces the prices) and e-mail the offer to its contact.',
  })
  async offerQuote(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('number') number: string,
    @Args('lines', { type: () => [QuoteOfferLineInput] }) lines: QuoteOfferLineInput[],
    @Args('validUntil', { type: () => Date }) validUntil: Date,
  ): Promise<AdminQuoteType> {
    const spec = {
      admin,
      area: 'QUOTES' as const,
      action: 'quote.offer',
      target: number,
      summarize: quoteState,
    };
    return toAdminQuote(
      await this.changes.run(spec, (hooks) =>
        this.offers.offer(number, lines, validUntil, new Date(), hooks),
      ),
    );
  }
}
