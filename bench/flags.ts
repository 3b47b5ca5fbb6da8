import { parseArgs } from 'node:util';

/**
 * Bench buyers seeded on bench-0001 (BENCH_BUYERS in libs/admin/src/bench-buyers.ts). Repeated
 * here rather than imported: the flags module stays free of the application's libraries.
 */
export const BENCH_BUYERS = 64;

/** The command line of `npm run bench`, validated. */
export interface BenchFlags {
  /** Catalog variants the API seeds on its first start (VITRINE_DEMO_PRODUCTS). */
  products: number;
  /** Extra generated tenants bench-0001 … seeded next to the demo ones (VITRINE_DEMO_EXTRA_TENANTS). */
  tenants: number;
  /** Seconds of load per scenario, for the ceiling and for the API alike. */
  duration: number;
  /** Concurrent keep-alive connections autocannon opens. */
  connections: number;
  /** Virtual buyers of the order-flow scenario, each its own user looping add-lines + place-order. */
  buyers: number;
  /** Scenario names to run; empty means all HTTP scenarios (import-prices runs only when named). */
  scenarios: string[];
  /** Contract prices in the file of the import-prices scenario. */
  importRows: number;
  /** Tenants the provisioning scenario creates through the admin API. */
  provision: number;
  /** Keep the temporary PGlite data directory after the run instead of deleting it. */
  keep: boolean;
  /** Reuse (and keep) this PGlite data directory instead of a fresh temporary one. */
  dataDir: string | null;
  /** Where to write the JSON report; null: bench/results/<timestamp>.json. */
  out: string | null;
  /** Print the usage text and exit. */
  help: boolean;
}

/** Values used for every flag that is not given. */
export const DEFAULT_FLAGS: Readonly<BenchFlags> = Object.freeze({
  products: 5000,
  tenants: 10,
  duration: 10,
  connections: 50,
  buyers: 16,
  scenarios: [],
  importRows: 1_000_000,
  provision: 1000,
  keep: false,
  dataDir: null,
  out: null,
  help: false,
});

/** A command line that cannot be run; the message is meant for the user as is. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** Usage text printed by `--help` and after a flag error. */
export const HELP = `Usage: npm run bench -- [options]

Starts the API (production mode) on a free port, then for each scenario measures a bare
node:http "ceiling" server returning the same bytes and the API itself with autocannon.

Options:
  --products N      catalog variants seeded on the API's first start   (default ${DEFAULT_FLAGS.products})
  --tenants N       extra generated tenants bench-0001 …               (default ${DEFAULT_FLAGS.tenants})
  --duration S      seconds of load per scenario and target            (default ${DEFAULT_FLAGS.duration})
  --connections C   concurrent connections                             (default ${DEFAULT_FLAGS.connections})
  --buyers B        concurrent buyers of the order-flow scenario       (default ${DEFAULT_FLAGS.buyers}, at most ${BENCH_BUYERS})
  --scenario NAME   run only this scenario; repeat for several         (default: all HTTP ones
                    and order-flow)
                    import-prices: imports a file of contract prices twice with the CLI
                    after the HTTP scenarios (runs only when named)
  --import-rows N   contract prices in the import-prices file          (default ${DEFAULT_FLAGS.importRows})
                    provisioning: creates tenants through the admin API and measures
                    catalog-page before and after (runs only when named)
  --provision N     tenants the provisioning scenario creates          (default ${DEFAULT_FLAGS.provision})
  --keep            keep the temporary PGlite data directory
  --data-dir DIR    use (and keep) this PGlite data directory; reusing one skips seeding
  --out FILE        write the JSON report here instead of bench/results/<timestamp>.json
                    (bench/results/latest.json is written either way)
  -h, --help        show this text

Environment: DATABASE_URL (use PostgreSQL instead of a temporary PGlite), REDIS_URL.
`;

// Bounds keep obvious typos (an extra zero, a negative number) from starting a run that
// cannot work; they are far above anything the 2-core reference machine can handle.
const INTEGER_FLAGS = {
  products: { min: 1, max: 2_000_000 },
  tenants: { min: 0, max: 10_000 },
  duration: { min: 1, max: 3600 },
  connections: { min: 1, max: 10_000 },
  // Every virtual buyer is a seeded user of its own (libs/admin/src/bench-buyers.ts).
  buyers: { min: 1, max: BENCH_BUYERS },
  importRows: { min: 1, max: 10_000_000 },
  provision: { min: 1, max: 100_000 },
} as const;

type IntegerFlag = keyof typeof INTEGER_FLAGS;

function parseInteger(key: IntegerFlag, raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_FLAGS[key];
  const { min, max } = INTEGER_FLAGS[key];
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  // Number('') is 0 and Number('1e3') is 1000: only plain digits are accepted.
  if (!/^\d+$/.test(raw.trim())) {
    throw new FlagError(`--${flag} expects a whole number, got '${raw}'`);
  }
  const value = Number(raw.trim());
  if (value < min || value > max) {
    throw new FlagError(`--${flag} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/**
 * Parses the benchmark's arguments (without `node` and the script path). Unknown flags,
 * positional arguments and malformed numbers throw a {@link FlagError}.
 */
export function parseFlags(argv: readonly string[]): BenchFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        products: { type: 'string' },
        tenants: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        buyers: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        'import-rows': { type: 'string' },
        provision: { type: 'string' },
        keep: { type: 'boolean' },
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    // parseArgs' messages are already readable; only the error type changes.
    throw new FlagError((e as Error).message);
  }
  const scenarios = (values.scenario ?? []).map((s) => s.trim());
  if (scenarios.some((s) => s.length === 0)) throw new FlagError('--scenario needs a name');
  const dataDir = values['data-dir'] ?? null;
  if (dataDir !== null && dataDir.trim().length === 0)
    throw new FlagError('--data-dir needs a path');
  if (values.out !== undefined && values.out.trim().length === 0) {
    throw new FlagError('--out needs a file name');
  }
  return {
    products: parseInteger('products', values.products),
    tenants: parseInteger('tenants', values.tenants),
    duration: parseInteger('duration', values.duration),
    connections: parseInteger('connections', values.connections),
    buyers: parseInteger('buyers', values.buyers),
    // A repeated name would run the same scenario twice for no gain.
    scenarios: [...new Set(scenarios)],
    importRows: parseInteger('importRows', values['import-rows']),
    provision: parseInteger('provision', values.provision),
    keep: values.keep === true || dataDir !== null,
    dataDir,
    out: values.out ?? null,
    help: values.help === true,
  };
}
