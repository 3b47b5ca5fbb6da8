import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  lexicographicSortSchema,
  parse,
  print,
  printSchema,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
} from 'graphql';
import { createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { ENTITIES } from '../src/app.module';
import { schemaAt } from './graphql-schemas';
import { REPO_ROOT, startApp, testConfig, type RunningApp } from './test-app';

const CONTRACT = join(REPO_ROOT, '../shared/contract/admin.graphql');
const COMMITTED = join(REPO_ROOT, 'admin-schema.graphql');

/**
 * Operations of the fixed admin contract that issue #8 builds. Every other operation of the
 * contract must exist with exactly the contract's arguments, defaults and result type. This
 * list only ever shrinks.
 */
const PENDING: Record<string, string> = {};

describe('admin schema', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let admin: GraphQLSchema;
  let storefront: GraphQLSchema;

  beforeAll(async () => {
    db = await createTestDatabase({ entities: ENTITIES });
    api = await startApp(db, testConfig());
    admin = schemaAt(api.app, '/admin/graphql');
    storefront = schemaAt(api.app, '/graphql');
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('has the operations of the fixed contract (../shared/contract/admin.graphql) built so far, as written there', () => {
    // The contract names types it leaves to us (AdminTenant, ...): read it as a document, not a schema.
    const contract = parse(readFileSync(CONTRACT, 'utf8'));
    const problems: string[] = [];
    let checked = 0;
    for (const def of contract.definitions) {
      if (def.kind === Kind.ENUM_TYPE_DEFINITION && !PENDING[def.name.value]) {
        const ours = admin.getType(def.name.value);
        if (!ours) problems.push(`missing enum ${def.name.value}`);
      }
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      const root = (def as ObjectTypeDefinitionNode).name.value;
      const ourRoot = root === 'Query' ? admin.getQueryType() : admin.getMutationType();
      for (const field of (def as ObjectTypeDefinitionNode).fields ?? []) {
        const where = `${root}.${field.name.value}`;
        if (PENDING[where]) continue;
        checked++;
        const mine = ourRoot?.getFields()[field.name.value];
        if (!mine) {
          problems.push(`missing ${where}`);
          continue;
        }
        if (String(mine.type) !== print(field.type))
          problems.push(
            `${where} returns ${String(mine.type)}, contract says ${print(field.type)}`,
          );
        for (const arg of (field as FieldDefinitionNode).arguments ?? []) {
          const myArg = mine.args.find((a) => a.name === arg.name.value);
          const contractDefault = arg.defaultValue ? print(arg.defaultValue) : undefined;
          const myDefault =
            myArg?.defaultValue === undefined ? undefined : String(myArg.defaultValue);
          if (!myArg) problems.push(`missing argument ${where}(${arg.name.value})`);
          else if (String(myArg.type) !== print(arg.type) || myDefault !== contractDefault)
            problems.push(
              `${where}(${arg.name.value}: ${String(myArg.type)} = ${myDefault}), contract says ${print(arg.type)} = ${contractDefault}`,
            );
        }
        for (const myArg of mine.args)
          if (
            !(field.arguments ?? []).some((a) => a.name.value === myArg.name) &&
            String(myArg.type).endsWith('!') &&
            myArg.defaultValue === undefined
          )
            problems.push(`${where} adds a required argument ${myArg.name}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(2); // quotes, offerQuote
    for (const name of ['AdminQuote', 'AdminQuoteConnection', 'QuoteOfferLineInput', 'QuoteStatus'])
      expect(admin.getType(name)).toBeDefined();
  });

  it('keeps the two APIs apart: no admin operation or type in the storefront schema, no storefront one in the admin schema', () => {
    const adminOnly = Object.keys(admin.getTypeMap()).filter(
      (t) =>
        t.startsWith('Admin') ||
        ['QuoteOfferLineInput', 'TrackingInput', 'AdminOrderTracking'].includes(t) ||
        t.startsWith('Audit'),
    );
    expect(adminOnly.length).toBeGreaterThan(5);
    for (const t of adminOnly) expect(storefront.getType(t)).toBeUndefined();
    expect(storefront.getMutationType()?.getFields().offerQuote).toBeUndefined();
    expect(storefront.getMutationType()?.getFields().setOrderStatus).toBeUndefined();
    for (const t of ['Product', 'Cart', 'Tenant', 'User']) expect(admin.getType(t)).toBeUndefined();
    expect(Object.keys(admin.getQueryType()!.getFields()).sort()).toEqual([
      'adminUser',
      'adminUsers',
      'auditLog',
      'companies',
      'companyUsers',
      'contractPrices',
      'importJob',
      'importJobs',
      'order',
      'orders',
      'priceList',
      'priceListEntries',
      'priceLists',
      'quotes',
      'tenant',
      'tenantKpis',
      'tenants',
    ]);
    expect(Object.keys(admin.getMutationType()!.getFields()).sort()).toEqual([
      'addTenantDomain',
      'adminLogin',
      'changeAdminPassword',
      'createAdminUser',
      'createCompany',
      'createPriceList',
      'createTenant',
      'deactivateAdminUser',
      'deactivateCompanyUser',
      'inviteCompanyUser',
      'offerQuote',
      'reactivateAdminUser',
      'reactivateCompanyUser',
      'removeContractPrices',
      'removePriceListPrices',
      'removeTenantDomain',
      'setContractPrices',
      'setOrderStatus',
      'setPriceListPrices',
      'setTenantStatus',
      'updateAdminUser',
      'updateCompany',
      'updateCompanyUser',
      'updatePriceList',
      'updateTenant',
    ]);
  });

  it('matches the committed admin-schema.graphql (UPDATE_SCHEMA=1 npm test -- admin-schema to refresh it)', () => {
    const printed = `${printSchema(lexicographicSortSchema(admin))}\n`;
    if (process.env.UPDATE_SCHEMA === '1' || !existsSync(COMMITTED))
      writeFileSync(COMMITTED, printed);
    expect(readFileSync(COMMITTED, 'utf8')).toBe(printed);
  });
});
