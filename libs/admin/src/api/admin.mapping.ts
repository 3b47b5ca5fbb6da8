import type { SellerOrder, SellerPage, SellerQuote } from '@vitrine/ordering';
import { formatDecimal, type MoneyType, type PriceSourceEnum } from '@vitrine/pricing';
import type {
  AdminOrderType,
  AdminQuoteType,
  OrderStatusEnum,
  QuoteStatusEnum,
} from './admin.types';

const money = (amountMinor: number, currency: string): MoneyType => ({
  amount: formatDecimal(amountMinor, currency),
  currency,
});

export function toAdminQuote(q: SellerQuote): AdminQuoteType {
  return {
    number: q.number,
    status: q.status as QuoteStatusEnum,
    tenantSlug: q.tenant.slug,
    companyName: q.company?.name ?? null,
    contactEmail: q.contactEmail,
    note: q.note,
    currency: q.currency,
    lines: q.lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      offeredUnitPrice: l.offeredUnitMinor === null ? null : money(l.offeredUnitMinor, q.currency),
    })),
    validUntil: q.validUntil,
    offeredAt: q.offeredAt,
    createdAt: q.createdAt,
    orderNumber: q.orderNumber,
  };
}

export function toAdminOrder(o: SellerOrder): AdminOrderType {
  const c = o.currency;
  return {
    number: o.number,
    status: o.status as OrderStatusEnum,
    tenantSlug: o.tenant.slug,
    company: { code: o.company.code, name: o.company.name },
    placedBy: { name: o.placedBy.name, email: o.placedBy.email },
    poNumber: o.poNumber,
    note: o.note,
    costCentre: o.costCentre,
    requestedDeliveryDate: o.requestedDeliveryDate,
    lines: o.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: money(l.unitMinor, c),
      lineTotal: money(l.netMinor, c),
      taxRate: l.taxRate,
      tax: money(l.taxMinor, c),
      priceSource: l.priceSource as PriceSourceEnum,
    })),
    subtotal: money(o.subtotalMinor, c),
    shipping: money(o.shippingMinor, c),
    tax: money(o.taxMinor, c),
    total: money(o.totalMinor, c),
    tracking: o.tracking,
    invoiceNumber: o.invoiceNumber,
    statusHistory: o.statusHistory.map((h) => ({
      status: h.status as OrderStatusEnum,
      note: h.note,
      changedBy: h.changedBy,
      changedAt: h.changedAt,
    })),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function toConnection<T, N>(
  page: SellerPage<T>,
  map: (node: T) => N,
): {
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
} {
  return {
    edges: page.items.map((i) => ({ cursor: i.cursor, node: map(i.node) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}
