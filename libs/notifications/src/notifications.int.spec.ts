import type { INestApplicationContext } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantDb } from '@vitrine/database';
import { Outbox, OutboxModule, OutboxWorker, type OutboxMessage } from '@vitrine/outbox';
import { createTestContext, createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { readMailbox } from './mail/mailbox-reader';
import { NotificationsModule } from './notifications.module';
import { sampleOrder } from './sample-documents';
import { verifyWebhookSignature } from './erp/webhook-signature';

const SECRET = 'erp-secret-for-the-test-0123456789';

/** An ERP endpoint: verifies the signature, stores each event id once, answers as told. */
class Receiver {
  server: Server;
  stored = new Map<string, unknown>();
  requests: string[] = [];
  answer = 200;
  delayMs = 0;
  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const id = String(req.headers['x-vitrine-event-id']);
    this.requests.push(id);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (!verifyWebhookSignature(SECRET, req.headers['x-vitrine-signature'] as string, body)) {
      res.writeHead(401).end('bad signature');
      return;
    }
    if (this.answer === 200 && !this.stored.has(id)) this.stored.set(id, JSON.parse(body));
    res.writeHead(this.answer).end(this.answer === 200 ? 'ok' : 'ERP is down');
  }
  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/orders`;
  }
}

describe('notifications (integration): mail, ERP webhook, ERP drop folder', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let dir: string;
  const receiver = new Receiver();
  const ids: Record<string, string> = {};
  const worker = () => app.get(OutboxWorker);
  const enqueue = (slug: string, messages: OutboxMessage[]) =>
    app
      .get(TenantDb)
      .run({ tenantId: ids[slug] }, (em) => app.get(Outbox).enqueue(em, ids[slug], messages));
  const sql = <T>(q: string, p: unknown[] = []) =>
    app.get(TenantDb).maintenance((em) => em.query(q, p) as Promise<T>);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-notify-'));
    const url = await receiver.listen();
    db = await createTestDatabase();
    const tenants: Array<[string, string, object, object]> = [
      [
        'acme',
        '{nl,en}',
        {
          primaryColor: '#123456',
          logoUrl: '/theme/assets/logo.svg',
          contact: { email: 'help@acme.example' },
        },
        { erp: { webhookUrl: url, secretEnv: 'ERP_SECRET_ACME', dropFolder: true } },
      ],
      ['plain', '{en}', { primaryColor: '#654321' }, {}],
      [
        'nosecret',
        '{en}',
        { primaryColor: '#000000' },
        { erp: { webhookUrl: url, secretEnv: 'ERP_SECRET_MISSING', dropFolder: false } },
      ],
    ];
    for (const [slug, locales, theme, settings] of tenants) {
      const [row] = (await db.dataSource.query(
        `INSERT INTO tenant (slug, name, status, locales, currency, theme, settings)
         VALUES ($1, $2, 'ACTIVE', $3, 'EUR', $4, $5) RETURNING id`,
        [slug, `${slug} <B.V.>`, locales, JSON.stringify(theme), JSON.stringify(settings)],
      )) as Array<{ id: string }>;
      ids[slug] = row.id;
      await db.dataSource.query(
        `INSERT INTO tenant_domain (domain, tenant_id, is_primary) VALUES ($1, $2, true)`,
        [`${slug}.localhost`, row.id],
      );
    }
    app = await createTestContext(db, [OutboxModule, NotificationsModule], {
      MAILBOX_DIR: join(dir, 'mailbox'),
      ERP_DROP_DIR: join(dir, 'drop'),
      ERP_SECRET_ACME: SECRET,
      ERP_WEBHOOK_TIMEOUT_MS: '300',
      PUBLIC_BASE_URL: 'http://{domain}:3000',
      OUTBOX_BACKOFF_BASE_MS: '60000',
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await new Promise((r) => receiver.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders and writes a mail as an .eml per tenant; a redelivery replaces it with the same Message-ID', async () => {
    await enqueue('acme', [
      {
        topic: 'mail',
        dedupeKey: 'invitation/user-1/abc',
        payload: {
          kind: 'mail',
          template: 'invitation',
          to: ['kees@acme.example'],
          locale: 'nl',
          data: { name: 'Kees', token: 'T0K3N', expiresAt: '2026-06-01T10:00:00Z' },
        },
      },
    ]);
    await enqueue('plain', [
      {
        topic: 'mail',
        dedupeKey: 'order-confirmation/JB-1',
        payload: {
          kind: 'mail',
          template: 'order-confirmation',
          to: ['a@plain.example'],
          locale: 'de',
          data: { order: sampleOrder({ note: '<b>bold</b>' }) },
        },
      },
    ]);
    expect(await worker().drain()).toEqual({ delivered: 2, failed: 0 });
    const [mail] = readMailbox(join(dir, 'mailbox'), 'acme');
    expect(mail.subject).toBe('Uw account voor acme <B.V.>');
    expect(mail.to).toBe('kees@acme.example');
    expect(mail.headers.from).toMatch(/acme <B\.V\.>.*<no-reply@vitrine\.example>/);
    expect(mail.headers['reply-to']).toBe('help@acme.example');
    expect(mail.text).toContain('http://acme.localhost:3000/invitation?token=T0K3N');
    expect(mail.html).toContain('src="http://acme.localhost:3000/theme/assets/logo.svg"');
    expect(mail.html).toContain('acme &lt;B.V.&gt;');
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@acme\.localhost>$/);
    const [order] = readMailbox(join(dir, 'mailbox'), 'plain');
    expect(order.subject).toBe('Bestellung JB-000042 bestätigt – plain <B.V.>');
    expect(order.html).toContain('&lt;b&gt;bold&lt;/b&gt;');

    // The worker died after sending but before recording: the event goes out again.
    await sql(
      `UPDATE outbox_event SET status = 'PENDING', next_attempt_at = now() WHERE dedupe_key = 'invitation/user-1/abc'`,
    );
    expect(await worker().drain()).toEqual({ delivered: 1, failed: 0 });
    const again = readMailbox(join(dir, 'mailbox'), 'acme');
    expect(again).toHaveLength(1);
    expect(again[0].messageId).toBe(mail.messageId);
  });

  it('POSTs a signed order webhook; a 5xx or a timeout is retried with backoff; the receiver dedupes', async () => {
    const payload = {
      kind: 'erp-order' as const,
      event: 'order.placed' as const,
      order: sampleOrder(),
    };
    await enqueue('acme', [{ topic: 'erp-webhook', dedupeKey: 'order.placed/JB-000042', payload }]);
    receiver.answer = 503;
    expect(await worker().drain()).toEqual({ delivered: 0, failed: 1 });
    let [row] = await worker().list({ tenant: 'acme', status: 'PENDING' });
    expect(row.lastError).toMatch(
      /ERP webhook http:\/\/127\.0\.0\.1:\d+\/orders answered HTTP 503: ERP is down/,
    );

    receiver.answer = 200;
    receiver.delayMs = 600; // longer than ERP_WEBHOOK_TIMEOUT_MS
    await sql(`UPDATE outbox_event SET next_attempt_at = now() WHERE topic = 'erp-webhook'`);
    expect(await worker().drain()).toEqual({ delivered: 0, failed: 1 });
    [row] = await worker().list({ tenant: 'acme', status: 'PENDING' });
    expect(row.lastError).toMatch(/did not answer within 300 ms/);
    await new Promise((r) => setTimeout(r, 700)); // the receiver finished that request: stored once

    receiver.delayMs = 0;
    await sql(`UPDATE outbox_event SET next_attempt_at = now() WHERE topic = 'erp-webhook'`);
    expect(await worker().drain()).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.requests.filter((id) => id === 'order.placed/JB-000042')).toHaveLength(3);
    expect([...receiver.stored.keys()]).toEqual(['order.placed/JB-000042']);
    expect(receiver.stored.get('order.placed/JB-000042')).toEqual(payload);
  });

  it('fails a webhook visibly when the tenant has no endpoint or the secret is not set', async () => {
    const payload = {
      kind: 'erp-order' as const,
      event: 'order.placed' as const,
      order: sampleOrder(),
    };
    await enqueue('plain', [{ topic: 'erp-webhook', dedupeKey: 'order.placed/P-1', payload }]);
    await enqueue('nosecret', [{ topic: 'erp-webhook', dedupeKey: 'order.placed/N-1', payload }]);
    expect(await worker().drain()).toEqual({ delivered: 0, failed: 2 });
    const [plain] = await worker().list({ tenant: 'plain', status: 'PENDING' });
    expect(plain.lastError).toBe(
      'tenant plain has no erp.webhookUrl in its tenant.yaml; nothing to send to',
    );
    const [nosecret] = await worker().list({ tenant: 'nosecret', status: 'PENDING' });
    expect(nosecret.lastError).toBe(
      "environment variable ERP_SECRET_MISSING (erp.secretEnv of nosecret) is not set in the worker's environment",
    );
    expect(receiver.requests).not.toContain('order.placed/N-1');
  });

  it('writes the order to the drop folder atomically and idempotently', async () => {
    const payload = {
      kind: 'erp-order' as const,
      event: 'order.placed' as const,
      order: sampleOrder({ number: 'AC-000001' }),
    };
    await enqueue('acme', [{ topic: 'erp-file', dedupeKey: 'order.placed/AC-000001', payload }]);
    await enqueue('nosecret', [
      { topic: 'erp-file', dedupeKey: 'order.placed/AC-000001', payload },
    ]);
    await enqueue('plain', [
      {
        topic: 'erp-file',
        dedupeKey: 'bad',
        payload: { ...payload, order: sampleOrder({ number: '../../etc/x' }) },
      },
    ]);
    expect(await worker().drain()).toEqual({ delivered: 1, failed: 2 });
    const file = join(dir, 'drop', 'acme', 'AC-000001.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(payload);
    await sql(
      `UPDATE outbox_event SET status = 'PENDING' WHERE topic = 'erp-file' AND dedupe_key = 'order.placed/AC-000001'`,
    );
    expect(await worker().drain()).toEqual({ delivered: 1, failed: 0 });
    expect(readdirSync(join(dir, 'drop', 'acme'))).toEqual(['AC-000001.json']);
    expect(existsSync(join(dir, 'drop', 'nosecret'))).toBe(false);
    const failures = (await worker().list({ status: 'PENDING' })).filter(
      (r) => r.topic === 'erp-file',
    );
    expect(failures.map((r) => r.lastError).sort()).toEqual([
      'Not an order number usable as a file name: "../../etc/x"',
      'tenant nosecret has erp.dropFolder: false; no file is written',
    ]);
  });
});
