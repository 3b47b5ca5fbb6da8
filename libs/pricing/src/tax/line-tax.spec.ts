import { formatVatRate, lineTaxMinor, sumVat, vatRateBasisPoints } from './line-tax';

describe('vatRateBasisPoints', () => {
  it.each([
    ['21.00', 2100],
    ['21', 2100],
    ['5.50', 550],
    ['5.5', 550],
    ['0.00', 0],
    ['0', 0],
    ['100', 10000],
    ['2.10', 210],
  ])('%s → %d', (rate, bp) => {
    expect(vatRateBasisPoints(rate)).toBe(bp);
  });

  it.each(['', '21,00', '-1', '5.555', '100.01', '1e2', ' 21', 'abc', '.5', '21.'])(
    'rejects %p',
    (rate) => {
      expect(() => vatRateBasisPoints(rate)).toThrow(RangeError);
    },
  );

  it('formats rates with two decimals', () => {
    expect(formatVatRate('9')).toBe('9.00');
    expect(formatVatRate('5.5')).toBe('5.50');
    expect(formatVatRate('0')).toBe('0.00');
  });
});

describe('lineTaxMinor', () => {
  it.each<[number, string, number, string]>([
    [10000, '21.00', 2100, 'exact'],
    [50, '21.00', 11, '10.5 → 11: exact half rounds up'],
    [150, '9.00', 14, '13.5 → 14'],
    [10, '5.50', 1, '0.55 → 1'],
    [9, '5.50', 0, '0.495 → 0'],
    [1, '21.00', 0, '0.21 → 0'],
    [3, '21.00', 1, '0.63 → 1'],
    [1999, '21.00', 420, '419.79 → 420'],
    [1234567, '19.00', 234568, '234567.73 → 234568'],
    [100, '0.00', 0, 'zero rate'],
    [0, '21.00', 0, 'zero net'],
    [-50, '21.00', -11, 'credit: −10.5 → −11 (away from zero)'],
    [-150, '9.00', -14, 'credit: −13.5 → −14'],
    [-1999, '21.00', -420, 'credit: −419.79 → −420'],
    [-9, '5.50', 0, 'credit: −0.495 → 0'],
    // Largest safe net: the product exceeds 2^53, BigInt keeps it exact.
    [9007199254740950, '21.00', 1891511843495600, '1891511843495599.5 → up'],
    [Number.MAX_SAFE_INTEGER, '21.00', 1891511843495608, '1891511843495608.11 → down'],
    [-9007199254740950, '21.00', -1891511843495600, 'credit: −…599.5 → −…600'],
    [900719925474099, '5.50', 49539595901075, '49539595901075.445 → down'],
  ])('%d at %s%% → %d (%s)', (net, rate, tax) => {
    expect(lineTaxMinor(net, rate)).toBe(tax);
  });

  it('is symmetric for credit lines', () => {
    for (const net of [1, 5, 50, 150, 2381, 99999])
      for (const rate of ['21.00', '9.00', '5.50', '7.00'])
        expect(lineTaxMinor(-net, rate)).toBe(0 - lineTaxMinor(net, rate));
  });

  it('refuses amounts that are not safe integers of minor units', () => {
    expect(() => lineTaxMinor(10.5, '21.00')).toThrow(RangeError);
    expect(() => lineTaxMinor(2 ** 53, '21.00')).toThrow(RangeError);
  });
});

describe('sumVat', () => {
  it('computes VAT per line, sums it per rate, highest rate first', () => {
    const totals = sumVat([
      { netMinor: 50, rate: '21.00' }, // 10.5 → 11
      { netMinor: 50, rate: '21.00' }, // 10.5 → 11
      { netMinor: 1000, rate: '9.00' }, // 90
      { netMinor: 500, rate: '0.00' },
      { netMinor: 150, rate: '9' }, // 13.5 → 14, same row as "9.00"
    ]);
    expect(totals).toEqual({
      netMinor: 1750,
      taxMinor: 126,
      grossMinor: 1876,
      byRate: [
        { rate: '21.00', netMinor: 100, taxMinor: 22 }, // not round(100 × 0.21) = 21
        { rate: '9.00', netMinor: 1150, taxMinor: 104 },
        { rate: '0.00', netMinor: 500, taxMinor: 0 },
      ],
    });
  });

  it('nets credit lines against the order', () => {
    expect(
      sumVat([
        { netMinor: 10000, rate: '21.00' },
        { netMinor: -50, rate: '21.00' },
      ]),
    ).toEqual({
      netMinor: 9950,
      taxMinor: 2089,
      grossMinor: 12039,
      byRate: [{ rate: '21.00', netMinor: 9950, taxMinor: 2089 }],
    });
  });

  it('is empty for no lines', () => {
    expect(sumVat([])).toEqual({ netMinor: 0, taxMinor: 0, grossMinor: 0, byRate: [] });
  });

  it('refuses totals beyond safe integers', () => {
    const big = { netMinor: Number.MAX_SAFE_INTEGER, rate: '21.00' };
    expect(() => sumVat([big, big])).toThrow(RangeError);
  });
});
