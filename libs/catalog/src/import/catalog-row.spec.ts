import {
  catalogInputFromCsv,
  catalogInputFromJson,
  checkCatalogCsvHeader,
  parseAmountMinor,
  productSlug,
  validateCatalogRow,
  type CatalogDictionary,
} from './catalog-row';
import { checkCustomerSkuCsvHeader, validateCustomerSkuRow } from './customer-sku-row';
import { isValidGtin } from './gtin';

const dict: CatalogDictionary = {
  categories: new Map([['schroeven', 7]]),
  attributes: new Map([
    ['material', { code: 'material', type: 'ENUM', enumValues: ['RVS A2', 'staal verzinkt'] }],
    ['length_mm', { code: 'length_mm', type: 'NUMBER', enumValues: null }],
    ['norm', { code: 'norm', type: 'TEXT', enumValues: null }],
  ]),
};

const good = {
  sku: ' abc-123 ',
  category: 'schroeven',
  name_nl: 'Schroef 4x40',
  name_en: 'Screw 4x40',
  gtin: '8712345678906',
  stock: '12',
  unit: 'bx',
  order_multiple: '10',
  list_price: '12.5',
  attr_material: 'RVS A2',
  attr_length_mm: '40',
  media_image: 'https://img.example/a.jpg https://img.example/b.jpg',
};

const csv = (record: Record<string, string>, line = 2) =>
  validateCatalogRow(catalogInputFromCsv(record), line, dict);
const json = (obj: unknown, line = 1) => validateCatalogRow(catalogInputFromJson(obj), line, dict);
const reasons = (v: ReturnType<typeof csv>) =>
  v.ok ? [] : v.rejects.map((r) => `${r.column}: ${r.reason}`);

describe('isValidGtin', () => {
  it.each(['96385074', '036000291452', '4006381333931', '10614141000415'])('accepts %s', (c) =>
    expect(isValidGtin(c)).toBe(true),
  );
  it.each(['96385075', '4006381333932', '400638133393', '12345', 'abcdefghijklm'])(
    'refuses %s',
    (c) => expect(isValidGtin(c)).toBe(false),
  );
});

describe('validateCatalogRow (CSV)', () => {
  it('normalizes a good row', () => {
    const v = csv(good);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.row).toMatchObject({
      sku: 'ABC-123',
      productSlug: 'abc-123',
      grouped: false,
      categoryId: 7,
      names: { nl: 'Schroef 4x40', en: 'Screw 4x40' },
      stockOnHand: 12,
      unit: 'BX',
      orderMultiple: 10,
      minOrderQuantity: 1,
      status: 'ACTIVE',
      listPrice: { currency: 'EUR', amountMinor: 1250 },
      attributes: { material: 'RVS A2', length_mm: 40 },
      media: [
        { kind: 'image', url: 'https://img.example/a.jpg' },
        { kind: 'image', url: 'https://img.example/b.jpg' },
      ],
    });
  });

  it('groups variants under a product key', () => {
    const v = csv({ ...good, product: 'Spaanplaatschroef Müller 4' });
    expect(v.ok && v.row.productSlug).toBe('spaanplaatschroef-muller-4');
  });

  it('requires sku, category and a name', () => {
    expect(reasons(csv({ sku: '', category: '', name_nl: '' }))).toEqual([
      'sku: SKU is required',
      'category: category is required',
      'name_<locale>: a name in at least one locale is required',
    ]);
  });

  it('reports every problem of a row with its column', () => {
    const v = csv({
      ...good,
      sku: 'A B',
      gtin: '8712345678907',
      stock: '-3',
      category: 'nope',
      order_multiple: '0',
      status: 'gone',
      unit: 'PIECE',
      attr_material: 'gold',
      attr_length_mm: '4,5',
      media_image: 'ftp://x/y',
      list_price: '-1',
      successor_sku: 'a b',
    });
    expect(reasons(v)).toEqual([
      'sku: "A B" is not a valid SKU (letters, digits and . _ / -, starting with a letter or digit, at most 64)',
      'category: unknown category "nope"',
      'media_image: "ftp://x/y" is not an http(s) URL',
      'gtin: "8712345678907" has a wrong check digit',
      'stock: must not be negative (got -3)',
      'order_multiple: must be at least 1 (got 0)',
      'status: "gone" is not a status (active, discontinued)',
      'successor_sku: "A B" is not a valid SKU',
      'unit: "PIECE" is not a UN/ECE unit code (PCE, BX, M, KGM …: 1–3 letters or digits)',
      'list_price: "-1" is not an amount (digits with "." and at most two decimals, not negative)',
      'attr_material: "gold" is not one of RVS A2, staal verzinkt',
      'attr_length_mm: "4,5" is not a number (use "." as the decimal separator)',
    ]);
    expect(v.ok ? null : v.rejects.every((r) => r.line === 2 && r.sku === 'A B')).toBe(true);
  });

  it('rejects an unknown attribute, a GTIN of the wrong length, a fraction for stock', () => {
    expect(reasons(csv({ ...good, attr_colour: 'red', gtin: '123', stock: '1.5' }))).toEqual([
      'gtin: "123" is not a GTIN (EAN-8, UPC-12, EAN-13 or GTIN-14 digits)',
      'stock: "1.5" is not a whole number',
      'attr_colour: unknown attribute "colour"',
    ]);
  });

  it('reads the tax category (default standard)', () => {
    expect(csv(good)).toMatchObject({ ok: true, row: { taxCategory: 'standard' } });
    const reduced = csv({ ...good, tax_category: ' Reduced ' });
    expect(reduced.ok && reduced.row.taxCategory).toBe('reduced');
    expect(
      json({ sku: 'X1', category: 'schroeven', names: { nl: 'x' }, tax_category: 'zero' }),
    ).toMatchObject({ ok: true, row: { taxCategory: 'zero' } });
    expect(reasons(csv({ ...good, tax_category: 'luxury' }))).toEqual([
      'tax_category: "luxury" is not a tax category (standard, reduced, zero)',
    ]);
  });

  it('rejects an article that is its own successor', () => {
    expect(reasons(csv({ ...good, status: 'discontinued', successor_sku: 'abc-123' }))).toEqual([
      'successor_sku: an article cannot be its own successor',
    ]);
  });
});

describe('validateCatalogRow (NDJSON)', () => {
  it('reads nested names, attributes and media with titles', () => {
    const v = json({
      sku: 'X1',
      category: 'schroeven',
      names: { nl: 'Een', en: 'One' },
      product_names: { nl: 'Product' },
      attributes: { length_mm: 12.5, norm: 'DIN 933' },
      media: [{ kind: 'datasheet', url: 'https://d.example/x.pdf', title: 'Datasheet' }],
      stock: 3,
      list_price: '0.99',
      currency: 'usd',
    });
    expect(v.ok && v.row).toMatchObject({
      names: { nl: 'Een', en: 'One' },
      productNames: { nl: 'Product' },
      attributes: { length_mm: 12.5, norm: 'DIN 933' },
      media: [{ kind: 'datasheet', url: 'https://d.example/x.pdf', title: 'Datasheet' }],
      stockOnHand: 3,
      listPrice: { currency: 'USD', amountMinor: 99 },
    });
  });

  it('names NDJSON fields by their path', () => {
    expect(
      reasons(
        json({
          sku: 'X1',
          category: 'schroeven',
          names: { nl: 'Een', xx_yy: 'bad' },
          colour: 'red',
          media: [{ kind: 'video', url: 'https://v.example' }],
          stock: -1,
        }),
      ),
    ).toEqual([
      'names.xx_yy: "xx_yy" is not a locale (nl, en, de-DE …)',
      'colour: unknown field "colour"',
      'media[0]: unknown media kind "video" (image, datasheet, safety_sheet, manual)',
      'stock: must not be negative (got -1)',
    ]);
  });
});

describe('catalog CSV header', () => {
  it('refuses unknown columns and missing required ones', () => {
    expect(
      checkCatalogCsvHeader(['sku', 'category', 'name_nl', 'wieght_grams', 'media_video']),
    ).toEqual([
      'unknown column "wieght_grams"',
      'unknown column "media_video" (media columns: media_image, media_datasheet, media_safety_sheet, media_manual)',
    ]);
    expect(checkCatalogCsvHeader(['sku'])).toEqual([
      'missing column "category"',
      'missing a name column (name_nl, name_en, …)',
    ]);
  });
});

describe('helpers', () => {
  it('parses amounts without floats', () => {
    expect(parseAmountMinor('12.5')).toBe(1250);
    expect(parseAmountMinor('0.07')).toBe(7);
    expect(parseAmountMinor('3')).toBe(300);
    expect(parseAmountMinor('1.005')).toBeNull();
    expect(parseAmountMinor('1,50')).toBeNull();
  });
  it('makes product slugs', () => {
    expect(productSlug('Zeskantbout DIN 933 / 8.8')).toBe('zeskantbout-din-933-8-8');
  });
});

describe('customer SKU rows', () => {
  it('trims and upper-cases both numbers', () => {
    expect(validateCustomerSkuRow({ customer_sku: ' jb-0042 ', sku: 'sku-000001' }, 2)).toEqual({
      ok: true,
      row: { line: 2, customerSku: 'JB-0042', sku: 'SKU-000001' },
    });
  });
  it('requires both and refuses unknown fields', () => {
    const v = validateCustomerSkuRow({ customer_sku: '', sku: '', note: 'x' }, 3);
    expect(v.ok ? [] : v.rejects.map((r) => r.column)).toEqual(['note', 'customer_sku', 'sku']);
  });
  it('checks the CSV header', () => {
    expect(checkCustomerSkuCsvHeader(['customer_sku', 'sku'])).toEqual([]);
    expect(checkCustomerSkuCsvHeader(['customer', 'sku'])).toEqual([
      'unknown column "customer" (columns: customer_sku, sku)',
      'missing column "customer_sku"',
    ]);
  });
});
