/**
 * The `import-prices` scenario of `npm run bench`: writes a file of contract prices (companies
 * × articles × quantity tiers), creates the companies, and runs `vitrine import prices` on it
 * twice as the CLI — a first import (every row created) and the same file again (every row
 * unchanged) — after the API has been stopped, against the same database. See bench/README.md.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { loadConfig } from '@vitrine/config';
import { createDataSource, TenantDb } from '@vitrine/database';

export const IMPORT_SCENARIO = 'import-prices';
/** Companies the contract prices are spread over. */
export const IMPORT_COMPANIES = 10;
const TIERS = [1, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export interface PriceImportPlan {
  rows: number;
  companies: number;
  /** Articles SKU-000001 … per company. */
  articles: number;
  /** Quantity tiers per article and company. */
  tiers: number;
}

/** How `rows` contract prices are laid out over the seeded catalog, or why they cannot be. */
export function planPriceImport(rows: number, products: number): PriceImportPlan | string {
  const tiers = Math.ceil(rows / (IMPORT_COMPANIES * products));
  if (tiers > TIERS.length)
    return `needs --products >= ${Math.ceil(rows / (IMPORT_COMPANIES * TIERS.length))} for ${rows} rows (${IMPORT_COMPANIES} companies, at most ${TIERS.length} tiers per article)`;
  return {
    rows,
    companies: IMPORT_COMPANIES,
    articles: Math.ceil(rows / (IMPORT_COMPANIES * tiers)),
    tiers,
  };
}

/**
 * Writes the price file: for each company its articles in SKU order, each with `tiers`
 * quantity tiers valid from 2027-01-01 with an open end, prices falling with the quantity.
 * Every row is valid.
 */
export async function writeContractPriceFile(
  path: string,
  plan: PriceImportPlan,
  companies: ReadonlyArray<{ tenant: string; code: string }>,
): Promise<void> {
  const out = createWriteStream(path);
  out.write('type,sku,amount,min_quantity,tenant,company,valid_from,valid_until\n');
  let written = 0;
  let chunk = '';
  for (const company of companies) {
    for (let a = 1; a <= plan.articles && written < plan.rows; a++) {
      const sku = `SKU-${String(a).padStart(6, '0')}`;
      const base = 500 + ((a * 7919 + company.code.length * 131) % 20_000);
      for (let t = 0; t < plan.tiers && written < plan.rows; t++) {
        const minor = base - t * 5 - (a % 3);
        chunk += `contract,${sku},${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')},${TIERS[t]},${company.tenant},${company.code},2027-01-01,\n`;
        written++;
      }
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/**
 * Creates the bench companies `bench-import-01` … (idempotent), one per tenant, preferring the
 * generated bench tenants; with fewer tenants than companies a tenant gets several.
 */
export async function ensureImportCompanies(
  env: NodeJS.ProcessEnv,
  n = IMPORT_COMPANIES,
): Promise<Array<{ tenant: string; code: string }>> {
  const config = loadConfig(env);
  const ds = await createDataSource(config.database);
  try {
    return await new TenantDb(ds).maintenance(async (em) => {
      const tenants = (await em.query(
        `SELECT id, slug FROM tenant ORDER BY slug LIKE 'bench-%' DESC, slug LIMIT $1`,
        [n],
      )) as Array<{ id: string; slug: string }>;
      if (tenants.length === 0) throw new Error('no tenants: the database was not seeded');
      const out: Array<{ tenant: string; code: string }> = [];
      for (let i = 0; i < n; i++) {
        const tenant = tenants[i % tenants.length];
        const code = `bench-import-${String(i + 1).padStart(2, '0')}`;
        await em.query(
          `INSERT INTO company (tenant_id, code, name, country) VALUES ($1, $2, $3, 'NL')
           ON CONFLICT (tenant_id, code) DO NOTHING`,
          [tenant.id, code, `Bench import company ${i + 1}`],
        );
        out.push({ tenant: tenant.slug, code });
      }
      return out;
    });
  } finally {
    await ds.destroy();
  }
}

/** The counters and time of one import, from the CLI's summary line. */
export interface ImportSummary {
  read: number;
  seconds: number;
  rowsPerSecond: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Parses `1,000,000 rows in 39.8 s (25,148 rows/s): 1,000,000 created, 0 updated, …`. */
export function parseImportSummary(text: string): ImportSummary | null {
  const m =
    /([\d,]+) rows in ([\d.]+) s \(([\d,]+) rows\/s\): ([\d,]+) created, ([\d,]+) updated, ([\d,]+) unchanged, ([\d,]+) rejected/.exec(
      text,
    );
  if (!m) return null;
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return {
    read: n(m[1]),
    seconds: Number(m[2]),
    rowsPerSecond: n(m[3]),
    created: n(m[4]),
    updated: n(m[5]),
    unchanged: n(m[6]),
    rejected: n(m[7]),
  };
}

export interface ImportRun extends ImportSummary {
  label: 'first import' | 'same file again';
  /** Wall time of the whole CLI process (start-up and connection included). */
  processSeconds: number;
}

/** The scenario's entry in the report. */
export interface ImportScenarioResult {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  reason: string | null;
  plan: PriceImportPlan | null;
  runs: ImportRun[];
}

/** Runs `vitrine import prices <file>` as a child process; resolves to its summary. */
function runCli(
  cliMain: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  file: string,
  label: ImportRun['label'],
): Promise<ImportRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [cliMain, 'import', 'prices', file],
      { cwd, env, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        const summary = parseImportSummary(stdout);
        if (error || !summary) {
          reject(
            new Error(
              `vitrine import prices failed (${error?.message ?? 'no summary'}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
            ),
          );
          return;
        }
        resolvePromise({
          label,
          ...summary,
          processSeconds: Math.round((Date.now() - started) / 100) / 10,
        });
      },
    );
  });
}

/** The scenario from start to end; never throws (a failure is reported in the result). */
export async function benchPriceImport(opts: {
  rows: number;
  products: number;
  cliMain: string;
  root: string;
  env: NodeJS.ProcessEnv;
  file: string;
  log: (message: string) => void;
}): Promise<ImportScenarioResult> {
  const { log } = opts;
  const plan = planPriceImport(opts.rows, opts.products);
  log(`\n[${IMPORT_SCENARIO}] vitrine import prices: contract prices, first import and again`);
  if (typeof plan === 'string') {
    log(`  skipped: ${plan}`);
    return { name: IMPORT_SCENARIO, status: 'skipped', reason: plan, plan: null, runs: [] };
  }
  const runs: ImportRun[] = [];
  try {
    const companies = await ensureImportCompanies(opts.env, plan.companies);
    await writeContractPriceFile(opts.file, plan, companies);
    log(
      `  ${plan.rows} rows: ${plan.companies} companies × ${plan.articles} articles × ${plan.tiers} tiers`,
    );
    for (const label of ['first import', 'same file again'] as const) {
      const run = await runCli(opts.cliMain, opts.root, opts.env, opts.file, label);
      log(
        `  ${label}: ${run.seconds} s, ${run.rowsPerSecond} rows/s (${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.rejected} rejected)`,
      );
      runs.push(run);
    }
    return { name: IMPORT_SCENARIO, status: 'ok', reason: null, plan, runs };
  } catch (e) {
    const message = (e as Error).message;
    log(`  FAIL: ${message}`);
    return { name: IMPORT_SCENARIO, status: 'failed', reason: message, plan, runs };
  }
}
