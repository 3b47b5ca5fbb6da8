import type { AssortmentSpec } from '@vitrine/catalog';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** A person who logs in for the tenant's company (company.users[] in tenant.yaml). */
export interface TenantFileUser {
  email: string;
  name: string;
  roles: string[];
  spendLimit?: string;
}

/** An address of the tenant's company (company.addresses[] in tenant.yaml), keyed by label. */
export interface TenantFileAddress {
  label: string;
  kind: 'SHIPPING' | 'BILLING';
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  default: boolean;
}

/**
 * A tenant.yaml after validation, with every schema default applied, so consumers never have
 * to know the defaults. Field names are the fixed contract of shared/contract/tenant.example.yaml.
 */
export interface TenantFile {
  slug: string;
  name: string;
  status: 'draft' | 'active' | 'suspended' | 'archived';
  domains: string[];
  locales: string[];
  currency: string;
  /** IANA zone; default Europe/Amsterdam. */
  timeZone?: string;
  publicBrowsing: boolean;
  showListPrices: boolean;
  /** As written: a folder relative to the tenant.yaml (checked to stay inside its folder). */
  theme: string;
  assortment: AssortmentSpec;
  priceLists: string[];
  discount?: { percent: number; categories: string[] };
  paymentTerms?: { method: 'on_account' | 'prepayment'; netDays: number; creditLimit?: string };
  shipping: Array<{
    countries: string[];
    minWeightKg?: number;
    maxWeightKg?: number;
    maxVolumeM3?: number;
    minOrderValue?: string;
    price: string;
  }>;
  company?: {
    name: string;
    code?: string;
    country?: string;
    vatId?: string;
    poNumberRequired: boolean;
    addresses: TenantFileAddress[];
    users: TenantFileUser[];
  };
  features: Record<string, boolean>;
  /** ERP export; `secretEnv` names the environment variable holding the webhook's HMAC key. */
  erp?: { webhookUrl?: string; secretEnv?: string; dropFolder: boolean };
}

/** theme/theme.yaml of a tenant, merged over {@link DEFAULT_THEME}. */
export interface ThemeFile {
  primaryColor: string;
  secondaryColor?: string;
  textColor?: string;
  backgroundColor?: string;
  fontFamily?: string;
  /** Relative to the theme folder, always under assets/ (the only part that is served). */
  logo?: string;
  favicon?: string;
  contact?: { phone?: string; email?: string; address?: string };
}

/** One validated tenant file with its theme. */
export interface LoadedTenant {
  /** Absolute path of the tenant.yaml. */
  file: string;
  /** Absolute path of the tenant's folder. */
  dir: string;
  spec: TenantFile;
  theme: ThemeFile;
  /** Absolute theme folder, or null when the tenant has none and uses the default theme. */
  themeDir: string | null;
}

/** One thing wrong with a tenant file, located precisely enough for an admin to fix it. */
export interface TenantFileProblem {
  file: string;
  /** Where inside the file, e.g. `assortment.excludeSkus[0]`; empty for the file as a whole. */
  path: string;
  /** 1-based line in the file, when it can be determined. */
  line?: number;
  message: string;
  /**
   * CONFLICT when the file is fine but clashes with what exists (a domain of another tenant, a
   * slug taken); absent for plain invalid input. The admin API maps it to its error code.
   */
  code?: 'CONFLICT';
}

/**
 * Everything wrong with a set of tenant files, reported at once so an admin fixes all of it in
 * one round; the message lists every problem as `file:line path: reason`.
 */
export class TenantFileError extends Error {
  constructor(readonly problems: TenantFileProblem[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(
      `Invalid tenant configuration, nothing was applied (${count}):\n` +
        problems.map(formatProblem).join('\n'),
    );
    this.name = 'TenantFileError';
  }
}

/** The theme of a tenant without a theme folder; also the base a theme.yaml is merged over. */
export const DEFAULT_THEME: ThemeFile = Object.freeze({
  primaryColor: '#1f4e79',
  secondaryColor: '#f2f5f8',
  textColor: '#1b1f23',
  backgroundColor: '#ffffff',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

// ---------------------------------------------------------------------------------------------
// Schemas: tenants/_schema holds the single source of truth, because editors validate against
// the same files (yaml-language-server comment). Found by walking up from this file, which works
// from the sources, from the swc-compiled dist/ and in the Docker image (which ships tenants/).

interface SchemaNode {
  properties?: Record<string, unknown>;
  pattern?: string;
  patternErrorMessage?: string;
  definitions?: Record<string, SchemaNode>;
}

function readSchema(name: string): SchemaNode {
  for (let dir = __dirname, i = 0; i < 8; i++, dir = dirname(dir)) {
    const file = join(dir, 'tenants', '_schema', name);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SchemaNode;
  }
  throw new Error(`tenants/_schema/${name} not found in any folder above ${__dirname}`);
}

const tenantSchema = readSchema('tenant.schema.json');
const themeSchema = readSchema('theme.schema.json');

const ajv = new Ajv({
  allErrors: true, // report every problem, not the first
  useDefaults: true, // the returned spec is complete
  verbose: true, // errors carry the offending value and their schema, for human messages
  multipleOfPrecision: 9, // 5.55 is "at most 2 decimals" despite 5.55 / 0.01 = 555.0000000000001
});
addFormats(ajv, ['email']);
// Non-standard, but understood by VS Code / yaml-language-server; we reuse it for our messages.
ajv.addVocabulary(['patternErrorMessage']);
const validateTenant: ValidateFunction = ajv.compile(tenantSchema);
const validateTheme: ValidateFunction = ajv.compile(themeSchema);
const DECIMAL_PATTERN = tenantSchema.definitions?.decimal?.pattern;

// ---------------------------------------------------------------------------------------------
// Locating things in YAML.

type Segment = string | number;

/** "/assortment/excludeSkus/0" → ['assortment', 'excludeSkus', 0]. */
function segmentsOf(instancePath: string): Segment[] {
  if (!instancePath) return [];
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ['assortment', 'excludeSkus', 0] → "assortment.excludeSkus[0]". */
function pathOf(segments: Segment[]): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s),
    '',
  );
}

/** A parsed YAML file, kept so that problems found later still get a line number. */
class YamlSource {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Line of the node at `path` (of the key, for a mapping entry). When the node does not exist
   * (a missing field, or a value ajv filled in as a default) the nearest ancestor's line; the
   * root itself has no line, because "line 1" would point at nothing useful.
   */
  line(path: Segment[]): number | undefined {
    let node: unknown = this.doc.contents;
    let line: number | undefined;
    for (const segment of path) {
      let next: unknown;
      let at: unknown;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
        );
        if (!pair) break;
        at = pair.key;
        next = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        at = next = node.items[segment];
      } else {
        break;
      }
      line = this.lineOf(at) ?? line;
      node = next;
    }
    return line;
  }

  private lineOf(node: unknown): number | undefined {
    return isNode(node) && node.range ? this.lines.linePos(node.range[0]).line : undefined;
  }
}

/** Collects problems of one file, each located by path. */
class Reporter {
  constructor(
    private readonly problems: TenantFileProblem[],
    readonly source: YamlSource,
  ) {}

  add(path: Segment[], message: string): void {
    const line = this.source.line(path);
    this.problems.push({
      file: this.source.file,
      path: pathOf(path),
      ...(line !== undefined && { line }),
      message,
    });
  }
}

function readYaml(
  file: string,
  problems: TenantFileProblem[],
): { data: Record<string, unknown>; reporter: Reporter } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file, path: '', message: `cannot be read: ${(err as Error).message}` });
    return null;
  }
  const lines = new LineCounter();
  // prettyErrors off: we print our own location; the default appends a code excerpt.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const message =
        e.code === 'MULTIPLE_DOCS'
          ? 'holds more than one YAML document (---); one tenant per file'
          : e.message.split('\n')[0];
      problems.push({
        file,
        path: '',
        line: lines.linePos(e.pos[0]).line,
        message: `YAML syntax error: ${message}`,
      });
    }
    return null;
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    problems.push({ file, path: '', message: `YAML error: ${(err as Error).message}` });
    return null;
  }
  if (data === null || data === undefined) {
    problems.push({ file, path: '', message: 'is empty' });
    return null;
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push({
      file,
      path: '',
      line: 1,
      message: 'must be a mapping of fields (key: value), not a list or a single value',
    });
    return null;
  }
  return {
    data: data as Record<string, unknown>,
    reporter: new Reporter(problems, new YamlSource(file, doc, lines)),
  };
}

// ---------------------------------------------------------------------------------------------
// Turning ajv's errors into sentences for an admin.

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields (key: value)',
  null: 'empty',
};

function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** A typo's intended field name: the known name closest in spelling, if close enough. */
function closest(name: string, known: string[]): string | undefined {
  const lower = name.toLowerCase();
  // A shortened name ("font" for "fontFamily") is far in edit distance but obvious to a human.
  const prefixed = known.filter((k) => lower.length >= 3 && k.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  let best: { name: string; distance: number } | undefined;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (!best || d < best.distance) best = { name: k, distance: d };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** "Not a valid currency: …" (as editors show it) → "is not a valid currency: …". */
function patternMessage(schema: SchemaNode | undefined): string {
  const text = schema?.patternErrorMessage;
  if (text) return text.replace(/^Not /, 'is not ');
  return `does not have the expected form (${schema?.pattern ?? 'pattern'})`;
}

function decimals(step: number): number {
  return (String(step).split('.')[1] ?? '').length;
}

/** The path and sentence for one ajv error, or null when another error already says it. */
function explain(e: ErrorObject): { path: Segment[]; message: string } | null {
  const at = segmentsOf(e.instancePath);
  const value: unknown = e.data;
  const schema = e.parentSchema as SchemaNode | undefined;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if': // "must match then": the failing `required` inside is reported itself
    case 'propertyNames': // idem for the failing `pattern` on the name
      return null;
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys(schema?.properties ?? {});
      const guess = closest(name, known);
      return {
        path: [...at, name],
        message: guess
          ? `unknown field "${name}"; did you mean "${guess}"?`
          : `unknown field "${name}"; the fields allowed here are ${known.join(', ')}`,
      };
    }
    case 'required': {
      const name = String(params.missingProperty);
      return { path: [...at, name], message: `the required field "${name}" is missing` };
    }
    case 'dependencies': {
      // erp.webhookUrl without erp.secretEnv: an unsigned webhook is never sent.
      const name = String(params.missingProperty);
      return {
        path: [...at, name],
        message: `the field "${name}" is required when "${String(params.property)}" is set`,
      };
    }
    case 'type': {
      const expected = String(params.type);
      if (schema?.pattern === DECIMAL_PATTERN && typeof value === 'number') {
        // YAML reads 25000.00 as a number and drops the cents' notation; money is a string.
        return {
          path: at,
          message: `must be an amount in quotes, e.g. "${value.toFixed(2)}" (got ${value})`,
        };
      }
      return {
        path: at,
        message: `must be ${TYPE_NAMES[expected] ?? expected} (got ${show(value)})`,
      };
    }
    case 'pattern':
      if (e.propertyName !== undefined) {
        return {
          path: [...at, e.propertyName],
          message: `"${e.propertyName}" ${patternMessage(schema)}`,
        };
      }
      return { path: at, message: `${show(value)} ${patternMessage(schema)}` };
    case 'format': {
      const format = params.format === 'email' ? 'e-mail address' : String(params.format);
      return { path: at, message: `${show(value)} is not a valid ${format}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).join(', ');
      return { path: at, message: `${show(value)} is not allowed here; use one of ${allowed}` };
    }
    case 'minItems':
      return {
        path: at,
        message:
          params.limit === 1
            ? 'must list at least one entry'
            : `must list at least ${String(params.limit)} entries`,
      };
    case 'uniqueItems': {
      const [i, j] = [Number(params.i), Number(params.j)];
      const item = Array.isArray(value) ? value[i] : undefined;
      return { path: [...at, i], message: `${show(item)} is listed twice (also at [${j}])` };
    }
    case 'minLength':
      return {
        path: at,
        message:
          params.limit === 1
            ? 'must not be empty'
            : `must be at least ${String(params.limit)} characters long`,
      };
    case 'maxLength':
      return { path: at, message: `is too long: at most ${String(params.limit)} characters` };
    case 'exclusiveMinimum':
      return {
        path: at,
        message: `must be more than ${String(params.limit)} (got ${show(value)})`,
      };
    case 'minimum':
      return { path: at, message: `must be at least ${String(params.limit)} (got ${show(value)})` };
    case 'maximum':
      return { path: at, message: `must be at most ${String(params.limit)} (got ${show(value)})` };
    case 'multipleOf': {
      const step = Number(params.multipleOf);
      return {
        path: at,
        message:
          step < 1
            ? `may have at most ${decimals(step)} decimals (got ${show(value)})`
            : `must be a multiple of ${step} (got ${show(value)})`,
      };
    }
    default:
      return { path: at, message: e.message ?? 'is invalid' };
  }
}

/** Validates `data` (filling in defaults); false when anything was reported. */
function validate(data: unknown, check: ValidateFunction, reporter: Reporter): boolean {
  if (check(data)) return true;
  for (const e of check.errors ?? []) {
    const problem = explain(e);
    if (problem) reporter.add(problem.path, problem.message);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Rules a schema cannot express.

/** True when `child` is `parent` or lies below it. */
function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Shows a path relative to the working directory when it lies below it (shorter to read). */
function display(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel && isInside(process.cwd(), file) ? rel : file;
}

/** `file:line path: reason`, leaving out what is unknown. */
function formatProblem(p: TenantFileProblem): string {
  const where = `${display(p.file)}${p.line ? `:${p.line}` : ''}`;
  return `${where}${p.path ? ` ${p.path}` : ''}: ${p.message}`;
}

/**
 * Resolves and loads the theme folder. Its assets are served to the web on the tenant's
 * domains, so it must lie inside the tenant's folder, also after following symbolic links.
 */
function loadTheme(
  dir: string,
  themePath: string,
  reporter: Reporter,
  problems: TenantFileProblem[],
): { theme: ThemeFile; themeDir: string | null } | null {
  const fail = (message: string) => {
    reporter.add(['theme'], `"${themePath}" ${message}`);
    return null;
  };
  if (isAbsolute(themePath) || /^[A-Za-z]:[\\/]/.test(themePath)) {
    return fail("must be a path relative to the tenant's folder, e.g. ./theme");
  }
  const themeDir = resolve(dir, themePath);
  if (!isInside(dir, themeDir)) {
    return fail(
      "points outside the tenant's folder; the theme must be a folder inside it, e.g. ./theme " +
        '(its assets are served to the web)',
    );
  }
  if (themeDir === dir) return fail("is the tenant's folder itself; use a subfolder, e.g. ./theme");
  if (!existsSync(themeDir)) return { theme: { ...DEFAULT_THEME }, themeDir: null };
  if (!statSync(themeDir).isDirectory()) return fail('is a file; the theme must be a folder');
  if (!isInside(realpathSync(dir), realpathSync(themeDir))) {
    return fail("leads outside the tenant's folder through a symbolic link");
  }

  const themeFile = join(themeDir, 'theme.yaml');
  if (!existsSync(themeFile)) return { theme: { ...DEFAULT_THEME }, themeDir };
  const parsed = readYaml(themeFile, problems);
  if (!parsed || !validate(parsed.data, validateTheme, parsed.reporter)) return null;
  const theme = parsed.data as unknown as ThemeFile;
  let ok = true;
  for (const key of ['logo', 'favicon'] as const) {
    const asset = theme[key];
    if (!asset) continue;
    const target = join(themeDir, asset);
    if (!existsSync(target) || !statSync(target).isFile()) {
      parsed.reporter.add([key], `"${asset}" does not exist in ${display(themeDir)}`);
      ok = false;
    } else if (!isInside(realpathSync(themeDir), realpathSync(target))) {
      parsed.reporter.add(
        [key],
        `"${asset}" leads outside the theme folder through a symbolic link`,
      );
      ok = false;
    }
  }
  return ok ? { theme: { ...DEFAULT_THEME, ...theme }, themeDir } : null;
}

/** The same login twice in one company would be created once and silently lose a role set. */
function checkUsers(data: Record<string, unknown>, reporter: Reporter): void {
  const company = data.company as { users?: unknown } | undefined;
  if (!company || !Array.isArray(company.users)) return;
  const seen = new Map<string, number>();
  company.users.forEach((u: unknown, i) => {
    const email = (u as { email?: unknown } | null)?.email;
    if (typeof email !== 'string') return;
    const key = email.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      reporter.add(
        ['company', 'users', i, 'email'],
        `"${email}" is listed twice (also at company.users[${first}])`,
      );
    }
  });
}

/** What the cross-file checks need of one file, also when the file has other problems. */
interface Candidate {
  file: string;
  reporter: Reporter;
  slug?: string;
  domains: string[];
  loaded: LoadedTenant | null;
}

function loadOne(file: string, problems: TenantFileProblem[]): Candidate | null {
  const parsed = readYaml(file, problems);
  if (!parsed) return null;
  return checkOne(file, parsed.data, parsed.reporter, problems);
}

/** The checks of one tenant's data, wherever it came from (a file, the admin API). */
function checkOne(
  file: string,
  data: Record<string, unknown>,
  reporter: Reporter,
  problems: TenantFileProblem[],
): Candidate {
  const before = problems.length;
  validate(data, validateTenant, reporter);
  // The checks below run on whatever is usable even if the schema failed, so that one round
  // of fixes is enough.
  checkUsers(data, reporter);
  const dir = dirname(file);
  const theme =
    typeof data.theme === 'string' ? loadTheme(dir, data.theme, reporter, problems) : null;
  const spec = data as unknown as TenantFile;
  if (spec.paymentTerms && spec.paymentTerms.netDays === undefined) {
    spec.paymentTerms.netDays = 0; // only reachable for prepayment: on_account requires netDays
  }
  const loaded =
    problems.length === before && theme
      ? { file, dir, spec, theme: theme.theme, themeDir: theme.themeDir }
      : null;
  return {
    file,
    reporter,
    slug: typeof data.slug === 'string' ? data.slug : undefined,
    domains: Array.isArray(data.domains)
      ? data.domains.map((d) => (typeof d === 'string' ? d.toLowerCase() : ''))
      : [],
    loaded,
  };
}

function sortProblems(problems: TenantFileProblem[]): TenantFileProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (a.p.file < b.p.file ? -1 : a.p.file > b.p.file ? 1 : 0) ||
        (a.p.line ?? 0) - (b.p.line ?? 0) ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}

// ---------------------------------------------------------------------------------------------
// Public entry points.

/**
 * Parses and validates one tenant.yaml, and its theme/theme.yaml when present (a missing theme
 * folder means the default theme). The folder name is not checked here; see loadTenantDir.
 *
 * @throws TenantFileError listing every problem found in the file and its theme.
 */
export function loadTenantFile(file: string): LoadedTenant {
  const problems: TenantFileProblem[] = [];
  const candidate = loadOne(resolve(file), problems);
  if (problems.length || !candidate?.loaded) throw new TenantFileError(sortProblems(problems));
  return candidate.loaded;
}

/**
 * Validates a tenant given as data (the admin API, `vitrine tenant create`) exactly as a
 * tenant.yaml at `file` would be: the same schema, defaults and checks, and the theme folder
 * resolved relative to the file's folder. `data` is not modified.
 *
 * @throws TenantFileError listing every problem (paths without line numbers).
 */
export function loadTenantSpec(data: Record<string, unknown>, file: string): LoadedTenant {
  const problems: TenantFileProblem[] = [];
  const abs = resolve(file);
  const copy = structuredClone(data);
  // A document built from data has no source ranges: problems carry paths, no lines.
  const source = new YamlSource(abs, new Document(copy), new LineCounter());
  const candidate = checkOne(abs, copy, new Reporter(problems, source), problems);
  if (problems.length || !candidate.loaded) throw new TenantFileError(sortProblems(problems));
  return candidate.loaded;
}

/**
 * Loads every `<dir>/<slug>/tenant.yaml` (folders starting with "_" or "." are skipped, so
 * `_schema` can live beside the tenants) and checks the rules that span files: the folder name
 * equals the slug, no slug is used twice, no domain is claimed by two tenants. Collects the
 * problems of all files before throwing, so the caller applies all tenants or none.
 *
 * @returns the tenants sorted by slug.
 * @throws TenantFileError listing every problem of every file.
 */
export function loadTenantDir(dir: string): LoadedTenant[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new TenantFileError([
      { file: root, path: '', message: 'the tenants folder does not exist' },
    ]);
  }
  const problems: TenantFileProblem[] = [];
  const candidates: Candidate[] = [];
  for (const entry of readdirSync(root).sort()) {
    if (entry.startsWith('_') || entry.startsWith('.')) continue;
    const folder = join(root, entry);
    // README.md and the like; also a dangling symbolic link, rather than a crash
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
    const file = join(folder, 'tenant.yaml');
    if (!existsSync(file)) {
      const hint = existsSync(join(folder, 'tenant.yml')) ? ' (found tenant.yml: rename it)' : '';
      problems.push({
        file: folder,
        path: '',
        message: `has no tenant.yaml${hint}; prefix the folder with "_" if it is not a tenant`,
      });
      continue;
    }
    const c = loadOne(file, problems);
    if (!c) continue;
    if (c.slug !== undefined && c.slug !== entry) {
      c.reporter.add(
        ['slug'],
        `"${c.slug}" does not match the folder name "${entry}"; name the folder after the slug`,
      );
    }
    candidates.push(c);
  }

  const slugs = new Map<string, Candidate>();
  const claims = new Map<string, Array<{ owner: Candidate; index: number }>>();
  for (const c of candidates) {
    if (c.slug !== undefined) {
      const other = slugs.get(c.slug);
      if (other) c.reporter.add(['slug'], `"${c.slug}" is also the slug of ${display(other.file)}`);
      else slugs.set(c.slug, c);
    }
    c.domains.forEach((domain, index) => {
      const list = claims.get(domain) ?? [];
      // a repeat within one file is the schema's uniqueItems problem, not a clash
      if (domain && !list.some((claim) => claim.owner === c))
        claims.set(domain, [...list, { owner: c, index }]);
    });
  }
  // Reported in every file involved: either one may be the file that was edited by mistake.
  for (const [domain, list] of claims) {
    if (list.length < 2) continue;
    for (const claim of list) {
      const others = list
        .filter((other) => other !== claim)
        .map(({ owner, index }) => {
          const line = owner.reporter.source.line(['domains', index]);
          const where = `${display(owner.file)}${line ? `:${line}` : ''}`;
          return owner.slug ? `tenant "${owner.slug}" (${where})` : where;
        });
      const message = `"${domain}" is also claimed by ${others.join(' and ')}`;
      claim.owner.reporter.add(['domains', claim.index], `${message}; a domain serves one tenant`);
    }
  }

  if (problems.length) throw new TenantFileError(sortProblems(problems));
  return candidates
    .map((c) => c.loaded as LoadedTenant)
    .sort((a, b) => (a.spec.slug < b.spec.slug ? -1 : a.spec.slug > b.spec.slug ? 1 : 0));
}
