import { field, filled, pageHref, statusFilter } from './page-query';

describe('admin page query values', () => {
  it('takes a single value, trims, and treats empty as absent', () => {
    expect(field('a')).toBe('a');
    expect(field(['a'])).toBe('a');
    expect(field(['a', 'b'])).toBeNull();
    expect(field(3)).toBeNull();
    expect(filled('  ')).toBeNull();
    expect(filled(' x ')).toBe('x');
  });

  it('accepts a known status in any case and names the choices otherwise', () => {
    const allowed = ['PLACED', 'SHIPPED'] as const;
    expect(statusFilter(null, allowed)).toBeNull();
    expect(statusFilter('placed', allowed)).toBe('PLACED');
    expect(() => statusFilter('lost', allowed)).toThrow(
      '"lost" is not a status of this list; choose one of PLACED, SHIPPED.',
    );
  });

  it('builds links with the fields that have a value, encoded', () => {
    expect(pageHref('/admin', {})).toBe('/admin');
    expect(pageHref('/admin', { status: 'ACTIVE', after: null })).toBe('/admin?status=ACTIVE');
    expect(pageHref('/a', { after: 'a+b/c=' })).toBe('/a?after=a%2Bb%2Fc%3D');
  });
});
