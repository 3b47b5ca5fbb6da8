import { Injectable } from '@nestjs/common';
import { CartService, type CartView, type RejectedLine } from '@vitrine/ordering';
import { PriceService } from '@vitrine/pricing';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { pageMessage } from '../site/domain-messages';
import { moneyFormatter } from './page-input';

/** What a cart page shows besides the cart: an error of the last form, refused lines. */
export interface CartPageExtras {
  error?: string | null;
  rejected?: readonly RejectedLine[];
}

/**
 * The cart page's view model, from CartService — the same cart, prices, shipping estimate and
 * VAT as the GraphQL `cart` query. Users who may not see prices get quantities without amounts.
 */
@Injectable()
export class CartPageService {
  constructor(
    private readonly carts: CartService,
    private readonly prices: PriceService,
  ) {}

  async view(ctx: TenantContext, extras: CartPageExtras = {}): Promise<Record<string, unknown>> {
    return this.model(ctx, await this.carts.view(ctx), extras);
  }

  /** The cart as the page shows it; `cart` null is an empty cart. */
  model(
    ctx: TenantContext,
    cart: CartView | null,
    extras: CartPageExtras = {},
  ): Record<string, unknown> {
    const showPrices = this.prices.canSeePrices(ctx);
    const permissions = permissionsOf(ctx.user?.roles ?? []);
    const base = {
      error: extras.error ?? null,
      rejected: (extras.rejected ?? []).map((r) => ({
        sku: r.sku,
        reason: pageMessage(ctx.locale, r, r.reason),
      })),
      showPrices,
      canCheckout: permissions.has('SUBMIT_ORDER'),
      canRequestQuote: permissions.has('REQUEST_QUOTE'),
    };
    if (!cart || cart.lines.length === 0) return { ...base, empty: true, lines: [] };
    const money = moneyFormatter(ctx, cart.priced.currency);
    const totals = cart.estimate?.totals ?? cart.priced.totals;
    return {
      ...base,
      empty: false,
      lines: cart.lines.map((l, i) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        // The number input steps like the cart's own rule (minimum, multiples) — a hint; the
        // service decides.
        min: l.orderMultiple > 1 ? l.orderMultiple : 1,
        step: l.orderMultiple > 1 ? l.orderMultiple : 1,
        unitPrice: showPrices ? money(cart.priced.lines[i].unitMinor) : null,
        lineTotal: showPrices ? money(cart.priced.lines[i].netMinor) : null,
      })),
      subtotal: showPrices ? money(cart.priced.totals.netMinor) : null,
      shipping: showPrices && cart.estimate ? money(cart.estimate.shippingMinor) : null,
      tax: showPrices ? money(totals.taxMinor) : null,
      total: showPrices ? money(totals.grossMinor) : null,
    };
  }
}
