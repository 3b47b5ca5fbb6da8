import { isSecretKey, REDACTED, redactText, redactValue } from './redact';

describe('redaction', () => {
  it('replaces the values of secret keys at any depth, whatever their case', () => {
    const out = redactValue({
      req: { headers: { Authorization: 'Bearer abc.def', cookie: 'vitrine_session=s1', host: 'a' } },
      res: { headers: { 'set-cookie': ['vitrine_session=s2; HttpOnly'] } },
      variables: { input: { email: 'a@b.c', password: 'hunter22', newPassword: 'x' } },
      list: [{ accessToken: 't1', refresh_token: 't2', apiKey: 'k', clientSecret: 's' }],
      count: 3,
    }) as Record<string, Record<string, Record<string, unknown>>> & { list: Array<Record<string, unknown>> };
    expect(out.req.headers).toEqual({ Authorization: REDACTED, cookie: REDACTED, host: 'a' });
    expect(out.res.headers['set-cookie']).toBe(REDACTED);
    expect(out.variables.input).toEqual({ email: 'a@b.c', password: REDACTED, newPassword: REDACTED });
    expect(out.list[0]).toEqual({
      accessToken: REDACTED,
      refresh_token: REDACTED,
      apiKey: REDACTED,
      clientSecret: REDACTED,
    });
    expect(out.count).toBe(3);
  });

  it('scrubs credentials out of free text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlLXZhbHVl';
    const text = redactText(
      `auth Bearer ${jwt} then Basic dXNlcjpwYXNz; token ${jwt}; ` +
        'db postgres://vitrine:s3cret@db:5432/x and /reset?token=abc123&lang=nl',
    );
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('dXNlcjpwYXNz');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('abc123');
    expect(text).toContain('postgres://[REDACTED]@db:5432/x');
    expect(text).toContain('lang=nl');
  });

  it('leaves ordinary fields and non-plain objects alone, and bounds depth', () => {
    const when = new Date(0);
    expect(redactValue({ tenant: 'jansen-bouw', user: 'u1', when })).toEqual({
      tenant: 'jansen-bouw',
      user: 'u1',
      when,
    });
    let deep: Record<string, unknown> = { password: 'p' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactValue(deep))).not.toContain('"p"');
    expect(['reqId', 'tenant', 'route', 'status', 'msg'].some(isSecretKey)).toBe(false);
    expect(['x-api-key', 'PASSWORD', 'csrfToken', 'set-cookie'].every(isSecretKey)).toBe(true);
  });
});
