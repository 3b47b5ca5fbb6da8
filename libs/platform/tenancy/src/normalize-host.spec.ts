import { normalizeHost } from './normalize-host';

describe('normalizeHost', () => {
  it.each([
    ['jansen-bouw.localhost', 'jansen-bouw.localhost'],
    ['JANSEN-BOUW.localhost:3000', 'jansen-bouw.localhost'],
    ['JANSEN-BOUW.localhost:3000.', 'jansen-bouw.localhost'],
    ['jansen-bouw.localhost.', 'jansen-bouw.localhost'],
    ['jansen-bouw.localhost..:80', 'jansen-bouw.localhost'],
    ['  Shop.JansenBouw.Example  ', 'shop.jansenbouw.example'],
    ['a.example, proxy.internal', 'a.example'],
    ['[::1]:3000', '[::1]'],
    ['127.0.0.1:3000', '127.0.0.1'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeHost(raw)).toBe(expected);
  });

  it.each([
    [''],
    [undefined],
    ['   '],
    ['evil.com/path'],
    ['user@evil.com'],
    ['a.example:abc'],
    ['[::1'],
    ['é.example'],
  ])('refuses %p', (raw) => {
    expect(normalizeHost(raw)).toBeNull();
  });
});
