import {
  demoAttributes,
  demoCategories,
  ean13CheckDigit,
  generateDemoProducts,
  isValidEan13,
} from './demo-catalog';

describe('demo catalog', () => {
  const all = (variants: number, seed?: number) => [...generateDemoProducts({ variants, seed })];

  it('is deterministic', () => {
    expect(JSON.stringify(all(2000))).toBe(JSON.stringify(all(2000)));
    expect(JSON.stringify(all(500, 7))).not.toBe(JSON.stringify(all(500)));
  });

  it('yields exactly the requested number of variants with sequential, unique SKUs', () => {
    const variants = all(5000).flatMap((p) => p.variants);
    expect(variants).toHaveLength(5000);
    expect(variants[0].sku).toBe('SKU-000001');
    expect(variants[4999].sku).toBe('SKU-005000');
    expect(variants.map((v) => v.sku)).toContain('SKU-004711');
    expect(new Set(variants.map((v) => v.sku)).size).toBe(5000);
    expect(new Set(variants.map((v) => v.mpn)).size).toBe(5000);
  });

  it('gives every variant a valid, unique EAN-13 and sane numbers', () => {
    const variants = all(20000).flatMap((p) => p.variants);
    expect(variants.every((v) => isValidEan13(v.gtin))).toBe(true);
    expect(new Set(variants.map((v) => v.gtin)).size).toBe(20000);
    for (const v of variants) {
      expect(Number.isInteger(v.listPriceMinor) && v.listPriceMinor > 0).toBe(true);
      expect(v.weightGrams).toBeGreaterThan(0);
      expect(v.stockOnHand).toBeGreaterThanOrEqual(0);
    }
    expect(variants.some((v) => v.stockOnHand === 0)).toBe(true);
  });

  it('has a well-formed tree and puts every product in a leaf, with unique slugs', () => {
    const cats = demoCategories();
    const slugs = new Set(cats.map((c) => c.slug));
    expect(slugs.size).toBe(cats.length);
    for (const top of [
      'bevestigingsmaterialen',
      'gereedschap',
      'pbm',
      'medisch-verbruik',
      'schoonmaak-hygiene',
      'auto-onderdelen',
      'smeermiddelen-chemie',
      'elektra',
    ]) {
      expect(cats.find((c) => c.slug === top)?.parentSlug).toBeNull();
    }
    const parents = new Set(cats.map((c) => c.parentSlug).filter(Boolean));
    cats.forEach((c, i) => {
      if (c.parentSlug) expect(cats.slice(0, i).some((p) => p.slug === c.parentSlug)).toBe(true);
    });
    const products = all(5000);
    expect(products.every((p) => slugs.has(p.categorySlug) && !parents.has(p.categorySlug))).toBe(
      true,
    );
    expect(new Set(products.map((p) => p.slug)).size).toBe(products.length);
    expect(
      products.every((p) => p.names.nl && p.names.en && p.descriptions.nl && p.descriptions.en),
    ).toBe(true);
  });

  it('computes EAN-13 check digits of real codes', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1);
    expect(ean13CheckDigit('590123412345')).toBe(7);
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('5901234123457')).toBe(true);
    expect(isValidEan13('5901234123458')).toBe(false);
    expect(isValidEan13('590123412345')).toBe(false);
    expect(isValidEan13('59012341234a7')).toBe(false);
  });
});

describe('demo catalog depth', () => {
  const variants = [...generateDemoProducts({ variants: 3000 })].flatMap((p) => p.variants);
  const defs = new Map(demoAttributes().map((a) => [a.code, a]));

  it('gives every variant attribute values that fit their definitions', () => {
    for (const v of variants) {
      expect(v.attributes.material).toBeDefined();
      for (const [code, value] of Object.entries(v.attributes)) {
        const def = defs.get(code);
        expect(def).toBeDefined();
        if (def!.type === 'NUMBER') expect(typeof value).toBe('number');
        if (def!.type === 'ENUM') expect(def!.enumValues).toContain(value);
      }
    }
    expect(variants.some((v) => typeof v.attributes.length_mm === 'number')).toBe(true);
  });

  it('discontinues some articles, each with an existing successor', () => {
    const skus = new Set(variants.map((v) => v.sku));
    const discontinued = variants.filter((v) => v.status === 'DISCONTINUED');
    expect(discontinued.length).toBeGreaterThan(10);
    for (const v of discontinued) expect(skus.has(v.successorSku!)).toBe(true);
    expect(
      variants.filter((v) => v.status === 'ACTIVE').every((v) => v.successorSku === null),
    ).toBe(true);
  });

  it('uses valid units, order multiples and minimum quantities', () => {
    for (const v of variants) {
      expect(v.unit).toMatch(/^[A-Z0-9]{1,3}$/);
      expect(v.orderMultiple).toBeGreaterThanOrEqual(1);
      expect(v.minOrderQuantity).toBeGreaterThanOrEqual(1);
      expect(v.volumeMl).toBeGreaterThan(0);
    }
  });
});
