import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'a-long-enough-shared-secret';
  const body = '{"kind":"erp-order","order":{"number":"JB-1"}}';

  it('signs "<t>.<body>" with HMAC-SHA256, as documented for receivers', () => {
    const header = signWebhook(secret, body, 1_780_000_000);
    const mac = createHmac('sha256', secret).update(`1780000000.${body}`).digest('hex');
    expect(header).toBe(`t=1780000000,v1=${mac}`);
  });

  it('verifies a fresh signature and refuses tampering, another key, old or malformed headers', () => {
    const now = 1_780_000_000;
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 10)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body.replace('JB-1', 'JB-2'), 300, now)).toBe(
      false,
    );
    expect(verifyWebhookSignature('another-secret-of-length', header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, 't=abc,v1=00', body, 300, now)).toBe(false);
    expect(
      verifyWebhookSignature(secret, header.replace(/t=\d+/, `t=${now + 1}`), body, 300, now),
    ).toBe(false);
  });
});
