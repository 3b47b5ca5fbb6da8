import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VitrineError } from '@vitrine/errors';
import { quantityProblemOf } from '@vitrine/ordering';
import { DOMAIN_MESSAGES, errorMessage, pageMessage } from './domain-messages';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** Where services give messages keys: the domain libraries and the session layer. */
const SOURCES = [
  'libs/ordering/src',
  'libs/accounts/src',
  'libs/storefront/src/session',
  'libs/storefront/src/ordering',
];

/**
 * Message keys the sources use: the second argument of `VitrineError.withMessage` (both branches
 * of a conditional), the first of the cart's `problem(…)`, and `key: '…'` of line problems.
 */
function usedKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  const patterns = [
    /withMessage\(\s*'[A-Z_]+',\s*((?:[^,]|\?[^,]*)+),/g,
    /problem\(\s*('[\w.]+')/g,
    /\bkey: ('[\w.]+')/g,
  ];
  for (const dir of SOURCES)
    for (const file of readdirSync(join(ROOT, dir)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'),
    )) {
      const text = readFileSync(join(ROOT, dir, file), 'utf8');
      for (const pattern of patterns)
        for (const match of text.matchAll(pattern))
          for (const literal of match[1].matchAll(/'([\w.]+)'/g)) keys.set(literal[1], file);
    }
  return keys;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('domain messages of the pages', () => {
  it('finds the keys the services use (the scan itself works)', () => {
    const keys = usedKeys();
    expect(keys.get('checkout.poRequired')).toBe('order-draft.service.ts');
    expect(keys.get('cart.problem.minimum')).toBe('cart.service.ts');
    expect(keys.get('checkout.noLongerSold')).toBe('order-writer.service.ts');
    expect(keys.get('users.exists')).toBe('company-admin.service.ts');
    expect(keys.get('session.formExpired')).toBe('csrf.guard.ts');
    expect(keys.size).toBeGreaterThan(40);
  });

  it('has an nl and an en text for every key a service uses', () => {
    const missing = [...usedKeys()]
      .filter(([key]) => !(key in DOMAIN_MESSAGES.en) || !(key in DOMAIN_MESSAGES.nl))
      .map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has the same keys and placeholders in nl and en', () => {
    expect(Object.keys(DOMAIN_MESSAGES.nl).sort()).toEqual(Object.keys(DOMAIN_MESSAGES.en).sort());
    for (const [key, en] of Object.entries(DOMAIN_MESSAGES.en))
      expect([key, placeholders(DOMAIN_MESSAGES.nl[key])]).toEqual([key, placeholders(en)]);
  });

  it('renders a message in the page language, amounts in its locale', () => {
    const ref = {
      key: 'checkout.creditLimit',
      params: { orderMinor: 123456, availableMinor: 5000, currency: 'EUR' },
    };
    const nl = pageMessage('nl-NL', ref, 'English').replace(/[\u00a0\u202f]/g, ' ');
    expect(nl).toContain('€ 1.234,56 incl. btw');
    expect(nl).toContain('€ 50,00');
    expect(pageMessage('en', ref, 'English')).toContain('€1,234.56 incl. VAT');
  });

  it('falls back to the English text without a key or for a key the site does not know', () => {
    expect(pageMessage('nl', null, 'In English.')).toBe('In English.');
    expect(pageMessage('nl', { key: 'nobody.knows', params: {} }, 'In English.')).toBe(
      'In English.',
    );
    expect(errorMessage('nl', VitrineError.badInput('Plain.'))).toBe('Plain.');
    expect(
      errorMessage(
        'nl',
        VitrineError.withMessage('BAD_USER_INPUT', 'checkout.poRequired', {}, 'PO, please.'),
      ),
    ).toBe('Uw bedrijf vereist een inkoopordernummer (PO-nummer).');
  });
});

describe('the English texts are the services’ own', () => {
  it('renders quantityProblem’s reasons in English exactly as the API says them', async () => {
    const article = {
      variantId: 1,
      sku: 'SKU-1',
      name: 'x',
      orderMultiple: 5,
      minOrderQuantity: 10,
      status: 'ACTIVE' as const,
      stockOnHand: 20,
      categoryPath: [],
      taxCategory: 'standard' as const,
      weightGrams: null,
      volumeMl: null,
    };
    const cases = [
      quantityProblemOf(article, 0, 0),
      quantityProblemOf({ ...article, status: 'DISCONTINUED' }, 30, 30),
      quantityProblemOf({ ...article, stockOnHand: 0 }, 10, 10),
      quantityProblemOf(article, 30, 30),
      quantityProblemOf(article, 5, 5),
      quantityProblemOf(article, 12, 12),
    ];
    expect(new Set(cases.map((c) => c?.key)).size).toBe(6);
    for (const c of cases) expect(pageMessage('en', c, '')).toBe(c?.text);
  });
});
