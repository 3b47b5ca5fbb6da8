import type { OrderDocument, QuoteDocument } from '@vitrine/outbox';

/** An order document as ordering produces it, for tests, previews and the docs. */
export function sampleOrder(overrides: Partial<OrderDocument> = {}): OrderDocument {
  return {
    number: 'JB-000042',
    status: 'PLACED',
    tenant: { slug: 'jansen-bouw', name: 'Jansen Bouw B.V.' },
    company: {
      id: '00000000-0000-4000-8000-000000000001',
      code: 'jansen-bouw',
      name: 'Jansen Bouw B.V.',
      vatId: 'NL001234567B01',
    },
    placedBy: { name: 'Petra Jansen', email: 'inkoop@jansenbouw.example' },
    poNumber: 'PO-2026-117',
    costCentre: 'Project Zuidas',
    note: null,
    requestedDeliveryDate: '2026-06-03',
    shipTo: {
      name: 'Jansen Bouw – bouwplaats Zuidas',
      street: 'Gustav Mahlerlaan 10',
      postalCode: '1082 PP',
      city: 'Amsterdam',
      country: 'NL',
    },
    currency: 'EUR',
    lines: [
      {
        lineNo: 1,
        sku: 'FIX-0001',
        name: 'Houtschroef 4×40 (200 st.)',
        quantity: 10,
        unitPrice: '12.50',
        lineTotal: '125.00',
        priceSource: 'CONTRACT',
        taxRate: '21.00',
        tax: '26.25',
      },
      {
        lineNo: 2,
        sku: 'PPE-0042',
        name: 'Veiligheidshelm',
        quantity: 2,
        unitPrice: '1234.50',
        lineTotal: '2469.00',
        priceSource: 'LIST',
        taxRate: '21.00',
        tax: '518.49',
      },
    ],
    subtotal: '2594.00',
    shipping: '0.00',
    tax: '544.74',
    total: '3138.74',
    vat: [{ rate: '21.00', base: '2594.00', tax: '544.74' }],
    taxNote: null,
    paymentTerms: { method: 'on_account', netDays: 30 },
    createdAt: '2026-05-20T09:30:00.000Z',
    ...overrides,
  };
}

export function sampleQuote(overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  return {
    number: 'Q-000007',
    status: 'OFFERED',
    tenant: { slug: 'vitrine-shop', name: 'Vitrine Shop' },
    contactEmail: 'prospect@example.com',
    company: null,
    note: null,
    currency: 'EUR',
    validUntil: '2026-07-01',
    lines: [
      {
        sku: 'FIX-0001',
        name: 'Houtschroef 4×40 (200 st.)',
        quantity: 500,
        offeredUnitPrice: '9.80',
      },
      { sku: 'TLS-0100', name: 'Accuboormachine', quantity: 3, offeredUnitPrice: null },
    ],
    createdAt: '2026-05-20T09:30:00.000Z',
    ...overrides,
  };
}
