import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseImportSummary, planPriceImport, writeContractPriceFile } from './import-prices';

describe('import-prices scenario', () => {
  it('lays the rows out over companies, articles and tiers', () => {
    expect(planPriceImport(1_000_000, 25_000)).toEqual({
      rows: 1_000_000,
      companies: 10,
      articles: 25_000,
      tiers: 4,
    });
    expect(planPriceImport(1_000_000, 100_000)).toMatchObject({ articles: 100_000, tiers: 1 });
    expect(planPriceImport(1_000_000, 5000)).toMatch(/needs --products >= 10000/);
  });

  it('writes exactly the planned rows, valid and in key order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-import-')), 'p.csv');
    const plan = { rows: 25, companies: 2, articles: 5, tiers: 3 };
    await writeContractPriceFile(file, plan, [
      { tenant: 'bench-0001', code: 'bench-import-01' },
      { tenant: 'bench-0002', code: 'bench-import-02' },
    ]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('type,sku,amount,min_quantity,tenant,company,valid_from,valid_until');
    expect(lines).toHaveLength(26);
    expect(lines[1]).toMatch(
      /^contract,SKU-000001,\d+\.\d\d,1,bench-0001,bench-import-01,2027-01-01,$/,
    );
    expect(lines[3]).toMatch(/^contract,SKU-000001,\d+\.\d\d,25,/);
    expect(lines[25]).toMatch(/^contract,SKU-000004,\d+\.\d\d,1,bench-0002,bench-import-02,/);
  });

  it("reads the CLI's summary line", () => {
    expect(
      parseImportSummary(
        '1,000,000 rows in 39.8 s (25,148 rows/s): 1,000,000 created, 0 updated, 0 unchanged, 2 rejected\n',
      ),
    ).toEqual({
      read: 1_000_000,
      seconds: 39.8,
      rowsPerSecond: 25_148,
      created: 1_000_000,
      updated: 0,
      unchanged: 0,
      rejected: 2,
    });
    expect(parseImportSummary('nothing')).toBeNull();
  });
});
