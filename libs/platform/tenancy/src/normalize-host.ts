/**
 * Normalizes a Host header value to the form domains are stored in: lowercase, without port,
 * without trailing dot(s), IPv6 brackets kept. Returns null for values that cannot be a host
 * (empty, whitespace, a path, userinfo), so they are refused instead of looked up.
 */
export function normalizeHost(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let host = raw.trim().toLowerCase();
  // X-Forwarded-Host may carry a list when several proxies appended to it: the first is the client's.
  const comma = host.indexOf(',');
  if (comma >= 0) host = host.slice(0, comma).trim();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) return null;
    host = host.slice(0, end + 1);
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      const port = host.slice(colon + 1);
      // "example.localhost:3000." → the dot belongs to the port part after a careless copy.
      if (!/^\d*\.*$/.test(port)) return null;
      host = host.slice(0, colon);
    }
    host = host.replace(/\.+$/, '');
  }
  if (host.length === 0 || host.length > 253) return null;
  if (!/^[a-z0-9.\-_[\]:]+$/.test(host)) return null;
  return host;
}
