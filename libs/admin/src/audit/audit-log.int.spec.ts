import type { INestApplicationContext } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { createTestContext, createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { AuditLog } from './audit-log.service';
import { AuditModule } from './audit.module';

interface Row {
  actor: string;
  action: string;
  tenant_id: string | null;
  target: string | null;
  before: unknown;
  after: unknown;
  outcome: string;
  reason: string | null;
}

describe('AuditLog', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let audit: AuditLog;
  let tdb: TenantDb;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestContext(db, [AuditModule]);
    audit = app.get(AuditLog);
    tdb = app.get(TenantDb);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const rows = (action: string) =>
    tdb.query<Row>(
      `SELECT actor, action, tenant_id, target, before, after, outcome, reason
         FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );

  it('records an applied change with its before and after in the caller’s transaction', async () => {
    await tdb.global((em) =>
      audit.record(em, {
        actor: 'admin-1',
        action: 'test.applied',
        tenantId: null,
        target: 'Q1',
        before: { status: 'REQUESTED' },
        after: { status: 'OFFERED', lines: [{ sku: 'A', unit: '1.00' }] },
        outcome: 'APPLIED',
      }),
    );
    expect(await rows('test.applied')).toEqual([
      {
        actor: 'admin-1',
        action: 'test.applied',
        tenant_id: null,
        target: 'Q1',
        before: { status: 'REQUESTED' },
        after: { status: 'OFFERED', lines: [{ sku: 'A', unit: '1.00' }] },
        outcome: 'APPLIED',
        reason: null,
      },
    ]);
  });

  it('writes nothing when the change’s transaction rolls back', async () => {
    await expect(
      tdb.global(async (em) => {
        await audit.record(em, {
          actor: 'admin-1',
          action: 'test.rolledback',
          tenantId: null,
          target: null,
          before: null,
          after: { x: 1 },
          outcome: 'APPLIED',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rows('test.rolledback')).toEqual([]);
  });

  it('records a refused attempt on its own, with the reason', async () => {
    const tenantId = '00000000-0000-4000-8000-0000000000aa';
    await audit.refused({
      actor: 'admin-2',
      action: 'test.refused',
      tenantId,
      target: 'O-1',
      before: null,
      after: null,
      reason: 'Not your tenant.',
    });
    expect(await rows('test.refused')).toEqual([
      expect.objectContaining({
        actor: 'admin-2',
        tenant_id: tenantId,
        target: 'O-1',
        before: null,
        after: null,
        outcome: 'REFUSED',
        reason: 'Not your tenant.',
      }),
    ]);
  });

  it('refuses to be called inside another unit of work (the refused change rolls back)', async () => {
    await expect(
      tdb.global(() =>
        audit.refused({
          actor: 'a',
          action: 'test.nested',
          tenantId: null,
          target: null,
          before: null,
          after: null,
        }),
      ),
    ).rejects.toThrow(/inside a unit of work/);
  });
});
