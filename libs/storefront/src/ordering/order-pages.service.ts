import { Injectable } from '@nestjs/common';
import { VitrineError } from '@vitrine/errors';
import {
  ApprovalService,
  approvalReasonRef,
  ORDER_STATUS_NAMES,
  OrderQueryService,
  type OrderView,
  type RejectedLine,
} from '@vitrine/ordering';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { pageMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { dateFormatter, moneyFormatter } from './page-input';

/** Orders per page of the order history. */
export const ORDERS_PAGE_SIZE = 20;

/** The "waiting for my approval" filter of approvers. */
export const WAITING_FOR_ME = 'mine';

/**
 * Order history and order detail pages, from OrderQueryService and ApprovalService — the same
 * scope as the API's `orders`/`order` (the company's orders, or one's own without
 * VIEW_COMPANY_ORDERS; another company's or tenant's order does not exist), the same approval
 * rules.
 */
@Injectable()
export class OrderPagesService {
  constructor(
    private readonly orders: OrderQueryService,
    private readonly approvals: ApprovalService,
  ) {}

  async list(
    ctx: TenantContext,
    filter: string | null,
    after: string | null,
  ): Promise<Record<string, unknown>> {
    const canApprove = permissionsOf(ctx.user?.roles ?? []).has('APPROVE_ORDER');
    const status =
      filter === WAITING_FOR_ME && canApprove
        ? 'PENDING_APPROVAL'
        : filter && (ORDER_STATUS_NAMES as readonly string[]).includes(filter)
          ? filter
          : null;
    if (filter && !status)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'orders.badFilter',
        { filter },
        `“${filter}” is not an order status to filter on.`,
        { argument: 'status' },
      );
    const page = await this.orders.page(ctx, ORDERS_PAGE_SIZE, after, status);
    const date = dateFormatter(ctx);
    const own = ctx.user?.id;
    // Waiting for *my* approval: an approver never decides on their own orders.
    const views =
      filter === WAITING_FOR_ME ? page.views.filter((v) => v.placedBy.id !== own) : page.views;
    const link = (params: Record<string, string | null>) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
      const s = qs.toString();
      return s ? `/orders?${s}` : '/orders';
    };
    return {
      orders: views.map((v) => ({
        number: v.number,
        href: `/orders/${encodeURIComponent(v.number)}`,
        date: date(v.createdAt),
        status: v.status,
        statusLabel: label(ctx.locale, `status.${v.status}`),
        poNumber: v.poNumber,
        placedBy: v.placedBy.name,
        total: this.canSeeAmounts(ctx) ? moneyFormatter(ctx, v.currency)(v.totalMinor) : null,
      })),
      filters: [
        { value: '', label: label(ctx.locale, 'orders.all'), selected: !filter },
        ...(canApprove
          ? [
              {
                value: WAITING_FOR_ME,
                label: label(ctx.locale, 'orders.waitingForMe'),
                selected: filter === WAITING_FOR_ME,
              },
            ]
          : []),
        ...ORDER_STATUS_NAMES.map((s) => ({
          value: s,
          label: label(ctx.locale, `status.${s}`),
          selected: filter === s,
        })),
      ],
      showTotals: this.canSeeAmounts(ctx),
      firstHref: after ? link({ status: filter }) : null,
      nextHref: page.hasNextPage
        ? link({ status: filter, after: page.cursors[page.cursors.length - 1] })
        : null,
    };
  }

  /** An order of the caller's scope; anything else is NOT_FOUND, exactly like a number that does not exist. */
  async detail(ctx: TenantContext, number: string): Promise<Record<string, unknown>> {
    const order = await this.orders.byNumber(ctx, number);
    if (!order)
      throw VitrineError.withMessage(
        'NOT_FOUND',
        'orders.notFound',
        { number },
        `You have no order ${number}.`,
      );
    return this.model(ctx, order);
  }

  reorder(ctx: TenantContext, number: string) {
    return this.orders.reorder(ctx, number);
  }

  approve(ctx: TenantContext, number: string): Promise<OrderView> {
    return this.approvals.approve(ctx, number);
  }

  reject(ctx: TenantContext, number: string, reason: string): Promise<OrderView> {
    return this.approvals.reject(ctx, number, reason);
  }

  /** The notice after a reorder: what went into the cart and what did not. */
  reorderNotice(ctx: TenantContext, number: string, rejected: readonly RejectedLine[]): string {
    return rejected.length
      ? label(ctx.locale, 'order.reorderedSome', {
          number,
          refused: rejected.map((r) => pageMessage(ctx.locale, r, r.reason)).join(' '),
        })
      : label(ctx.locale, 'order.reordered', { number });
  }

  private model(ctx: TenantContext, v: OrderView): Record<string, unknown> {
    const permissions = permissionsOf(ctx.user?.roles ?? []);
    const money = moneyFormatter(ctx, v.currency);
    const show = this.canSeeAmounts(ctx);
    const when = dateFormatter(ctx, true);
    const amount = (minor: number) => (show ? money(minor) : null);
    return {
      number: v.number,
      status: v.status,
      statusLabel: label(ctx.locale, `status.${v.status}`),
      date: when(v.createdAt),
      poNumber: v.poNumber,
      placedBy: `${v.placedBy.name} (${v.placedBy.email})`,
      showPrices: show,
      lines: v.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitPrice: amount(l.unitMinor),
        lineTotal: amount(l.netMinor),
      })),
      subtotal: amount(v.subtotalMinor),
      shipping: amount(v.shippingMinor),
      tax: amount(v.taxMinor),
      total: amount(v.totalMinor),
      vat: show
        ? v.vat.rates.map((r) => ({
            // "21.00" → 21 (nl/en number format, no trailing zeros)
            rate: new Intl.NumberFormat(ctx.locale, { maximumFractionDigits: 2 }).format(
              Number(r.rate),
            ),
            base: money(r.netMinor),
            tax: money(r.taxMinor),
          }))
        : [],
      taxNote: v.vat.note ? (v.vat.note[ctx.locale] ?? v.vat.note.en ?? null) : null,
      shipTo: v.shipTo,
      requestedDeliveryDate: v.requestedDeliveryDate,
      costCentre: v.costCentre,
      note: v.note,
      approvalReason: approvalReasonText(ctx, v.approvalReason),
      rejectionReason: v.rejectionReason,
      decidedBy: v.decidedBy,
      tracking: v.tracking
        ? {
            carrier: v.tracking.carrier,
            code: v.tracking.code,
            // Only web links: a stored `javascript:` URL must never become a clickable href.
            url: v.tracking.url && /^https?:\/\//i.test(v.tracking.url) ? v.tracking.url : null,
          }
        : null,
      invoiceNumber: v.invoiceNumber,
      paymentDays: v.paymentTerms?.method === 'on_account' ? v.paymentTerms.netDays : null,
      history: v.history.map((h) => ({
        statusLabel: label(ctx.locale, `status.${h.status}`),
        date: when(h.at),
        // The history note of a PENDING_APPROVAL step is the approval reason.
        note: h.status === 'PENDING_APPROVAL' ? approvalReasonText(ctx, h.note) : h.note,
      })),
      canReorder: permissions.has('MANAGE_CART'),
      // Approvers decide on others' waiting orders; the service checks limits and ownership.
      canDecide:
        v.status === 'PENDING_APPROVAL' &&
        permissions.has('APPROVE_ORDER') &&
        v.placedBy.id !== ctx.user?.id,
    };
  }

  private canSeeAmounts(ctx: TenantContext): boolean {
    return !!ctx.user?.canSeePrices;
  }
}

/** A stored (English) approval reason in the page's language, when it is one the services write. */
export function approvalReasonText(ctx: TenantContext, stored: string | null): string | null {
  return stored === null ? null : pageMessage(ctx.locale, approvalReasonRef(stored), stored);
}
