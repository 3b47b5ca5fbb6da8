import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CompanyAdminService } from '@vitrine/accounts';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { CheckoutService, type CheckoutPreview, type OrderView } from '@vitrine/ordering';
import { localDate, PriceService } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';
import { errorMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { approvalReasonText } from './order-pages.service';
import { CartPageService } from './cart-page.service';
import { moneyFormatter } from './page-input';

/** The checkout form's fields, as typed (kept when the page comes back with an error). */
export interface CheckoutForm {
  poNumber: string;
  shippingAddressId: string;
  requestedDeliveryDate: string;
  note: string;
  costCentre: string;
}

export const EMPTY_CHECKOUT_FORM: CheckoutForm = {
  poNumber: '',
  shippingAddressId: '',
  requestedDeliveryDate: '',
  note: '',
  costCentre: '',
};

/**
 * The checkout page: the cart's summary, the company's ship-to addresses and active cost
 * centres, and what placing the order would decide (approval and why) — all from the ordering
 * and accounts services, so the page and `placeOrder` cannot disagree. Each rendering carries a
 * fresh idempotency key, so submitting the same form twice places one order.
 */
@Injectable()
export class CheckoutPageService {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly carts: CartPageService,
    private readonly company: CompanyAdminService,
    private readonly prices: PriceService,
    private readonly db: TenantDb,
  ) {}

  async view(
    ctx: TenantContext,
    form: CheckoutForm,
    error: string | null = null,
    options: { quoteNumber?: string; idempotencyKey?: string } = {},
  ): Promise<Record<string, unknown>> {
    const [addresses, centres, poRequired] = await Promise.all([
      this.company.addresses(ctx),
      this.company.costCentres(ctx),
      this.poNumberRequired(ctx),
    ]);
    const shipping = addresses.filter((a) => a.kind === 'SHIPPING');
    const chosen = form.shippingAddressId || shipping[0]?.id || '';
    const base = {
      error,
      form: { ...form, shippingAddressId: chosen },
      // A key per rendering: a double submit of this form is one order; a page shown again
      // after an error keeps the key, so the retry is the same request.
      idempotencyKey: options.idempotencyKey ?? randomUUID(),
      poRequired,
      addresses: shipping.map((a) => ({
        id: a.id,
        label: a.label || a.name,
        line: `${a.name}, ${a.street}, ${a.postalCode} ${a.city}, ${a.country}`,
        checked: a.id === chosen,
      })),
      noAddress: shipping.length === 0,
      costCentres: centres
        .filter((c) => c.active)
        .map((c) => ({ code: c.code, name: c.name, selected: c.code === form.costCentre })),
      minDate: localDate(new Date(), ctx.tenant.timeZone),
    };
    if (options.quoteNumber) return { ...base, quoteNumber: options.quoteNumber };
    const cart = await this.carts.view(ctx);
    if (cart.empty) return { ...base, cart, empty: true };
    return { ...base, cart, ...(await this.preview(ctx, form, chosen)) };
  }

  async place(ctx: TenantContext, form: CheckoutForm, idempotencyKey: string): Promise<OrderView> {
    return this.checkout.placeOrder(ctx, toInput(form), idempotencyKey);
  }

  /** The notice after placing: placed, or submitted for approval with the reason. */
  notice(ctx: TenantContext, order: OrderView): string {
    return order.status === 'PENDING_APPROVAL'
      ? label(ctx.locale, 'checkout.submitted', {
          number: order.number,
          reason: approvalReasonText(ctx, order.approvalReason) ?? '',
        })
      : label(ctx.locale, 'checkout.placed', { number: order.number });
  }

  /**
   * What placing would decide to the chosen address: approval and totals. A problem the draft
   * finds (no shipping rate, nobody could approve it) is shown now rather than after submit.
   */
  private async preview(
    ctx: TenantContext,
    form: CheckoutForm,
    addressId: string,
  ): Promise<Record<string, unknown>> {
    let preview: CheckoutPreview;
    try {
      preview = await this.checkout.preview(ctx, {
        ...toInput(form),
        shippingAddressId: addressId || null,
        // The form's own fields are checked when it is sent, not on the way in.
        requestedDeliveryDate: null,
        costCentre: null,
      });
    } catch (err) {
      if (err instanceof VitrineError && err.httpStatus < 500)
        return { previewError: errorMessage(ctx.locale, err) };
      throw err;
    }
    const showPrices = this.prices.canSeePrices(ctx);
    const money = moneyFormatter(ctx, preview.currency);
    return {
      needsApproval: preview.status === 'PENDING_APPROVAL',
      approvalReason: approvalReasonText(ctx, preview.approvalReason),
      totals: showPrices
        ? {
            subtotal: money(preview.subtotalMinor),
            shipping: money(preview.shippingMinor),
            tax: money(preview.taxMinor),
            total: money(preview.totalMinor),
          }
        : null,
    };
  }

  /** Whether the company asks a PO number of every order (tenant.yaml `poNumberRequired`). */
  private async poNumberRequired(ctx: TenantContext): Promise<boolean> {
    const companyId = ctx.user?.company?.id;
    if (!companyId) return false;
    const rows = await this.db.run(
      ctx,
      (em) =>
        em.query(`SELECT po_number_required FROM company WHERE tenant_id = $1 AND id = $2`, [
          ctx.tenantId,
          companyId,
        ]) as Promise<Array<{ po_number_required: boolean }>>,
    );
    return rows[0]?.po_number_required ?? false;
  }
}

export function toInput(form: CheckoutForm) {
  return {
    poNumber: form.poNumber,
    shippingAddressId: form.shippingAddressId || null,
    requestedDeliveryDate: form.requestedDeliveryDate || null,
    note: form.note,
    costCentre: form.costCentre || null,
  };
}
