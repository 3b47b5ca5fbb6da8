import { VitrineError } from '@vitrine/errors';
import { listingQuery, parseFilters } from './listing-params';

describe('listing URL filters', () => {
  it('reads values, ranges and decimal commas, ignoring empty boxes and other parameters', () => {
    expect(
      parseFilters({
        q: 'schroef',
        after: 'abc',
        'f.material': ['RVS A2', 'messing', 'RVS A2'],
        'min.length_mm': '10,5',
        'max.length_mm': '',
        'f.colour': '',
        'f.': 'x',
      }),
    ).toEqual([
      { code: 'length_mm', min: 10.5 },
      { code: 'material', values: ['RVS A2', 'messing'] },
    ]);
  });

  it('refuses a range bound that is not a number', () => {
    expect(() => parseFilters({ 'min.length_mm': 'ten' })).toThrow(VitrineError);
  });

  it('writes what it reads', () => {
    const filters = parseFilters({ 'f.size': ['M', 'L'], 'max.length_mm': '40' });
    const qs = listingQuery({ q: 'a&b', filters, after: 'c1' });
    expect(qs).toBe('?q=a%26b&max.length_mm=40&f.size=M&f.size=L&after=c1');
    const back = Object.fromEntries(
      [...new URLSearchParams(qs).keys()].map((k) => [k, new URLSearchParams(qs).getAll(k)]),
    );
    expect(parseFilters(back)).toEqual(filters);
    expect(listingQuery({})).toBe('');
  });
});
