import { escapeXml, kpiSeriesBars, niceMax, renderBarChart } from './bar-chart';

const rects = (svg: string) =>
  [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)">/g)].map(
    (m) => ({ x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) }),
  );

describe('renderBarChart', () => {
  it('draws one bar per value, heights proportional to a round top value, on one base line', () => {
    const svg = renderBarChart(
      [
        { label: 'Mon', value: 10 },
        { label: 'Tue', value: 20 },
        { label: 'Wed', value: 0 },
      ],
      { title: 'Orders', width: 348, height: 200 },
    );
    const bars = rects(svg);
    expect(bars).toHaveLength(3);
    // Plot: 200 − 16 − 28 = 156 high; top = 20.
    expect(bars.map((b) => b.h)).toEqual([78, 156, 0]);
    expect(new Set(bars.map((b) => b.y + b.h))).toEqual(new Set([172]));
    expect(bars[0].x).toBeLessThan(bars[1].x);
    expect(svg).toContain('>20</text>');
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Orders">/);
  });

  it('escapes every label, title and value label', () => {
    const svg = renderBarChart(
      [{ label: '<script>alert("x")</script>', value: 1, valueLabel: '€ 1 & "2"' }],
      { title: `Bob's <b>` },
    );
    expect(svg).not.toMatch(/<script|<b>|alert\("/);
    expect(svg).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(svg).toContain(
      '<title>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;: € 1 &#38; &#34;2&#34;</title>',
    );
    expect(svg).toContain('<title>Bob&#39;s &#60;b&#62;</title>');
  });

  it('never writes NaN: no bars, all zeros, negative or non-finite values', () => {
    for (const bars of [
      [],
      [{ label: 'a', value: 0 }],
      [
        { label: 'a', value: -5 },
        { label: 'b', value: Number.NaN },
        { label: 'c', value: Infinity },
      ],
    ]) {
      const svg = renderBarChart(bars, { title: 't' });
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect(rects(svg).every((r) => r.h === 0)).toBe(true);
    }
  });

  it('thins the axis labels of long series and is deterministic', () => {
    const bars = Array.from({ length: 105 }, (_, i) => ({ label: `W${i}`, value: i }));
    const svg = renderBarChart(bars, { title: 'Weekly' });
    const labels = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+">(W\d+)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(labels.length).toBeLessThan(20);
    expect(labels[0]).toBe('W0');
    expect(rects(svg)).toHaveLength(105);
    expect(renderBarChart(bars, { title: 'Weekly' })).toBe(svg);
  });
});

describe('niceMax and escapeXml', () => {
  it('rounds the top up to 1, 2 or 5 × 10^k', () => {
    expect([0, 0.3, 1, 7, 10, 11, 42, 4999].map(niceMax)).toEqual([
      1, 0.5, 1, 10, 10, 20, 50, 5000,
    ]);
  });
  it('escapes the five XML specials only', () => {
    expect(escapeXml(`a&b<c>d"e'f é`)).toBe('a&#38;b&#60;c&#62;d&#34;e&#39;f é');
  });
});

describe('kpiSeriesBars', () => {
  const series = [
    { date: '2031-10-26', start: new Date(0), end: new Date(0), orderCount: 2, revenueMinor: 3000 },
    { date: '2031-10-27', start: new Date(0), end: new Date(0), orderCount: 0, revenueMinor: 0 },
  ];
  it('labels buckets by their local date and writes revenue as money', () => {
    expect(kpiSeriesBars(series, 'orders', 'EUR')).toEqual([
      { label: '26-10', value: 2, valueLabel: '2' },
      { label: '27-10', value: 0, valueLabel: '0' },
    ]);
    expect(kpiSeriesBars(series, 'revenue', 'EUR').map((b) => [b.value, b.valueLabel])).toEqual([
      [30, 'EUR 30.00'],
      [0, 'EUR 0.00'],
    ]);
  });
});
