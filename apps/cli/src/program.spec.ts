import { Command, CommanderError } from 'commander';
import { TenantFileError } from '@vitrine/admin';
import { ImportError } from '@vitrine/catalog';
import { ConfigError, type AppConfig } from '@vitrine/config';
import { DatabaseInUseError, SchemaBehindError } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { classify, CliUsageError, EXIT, EXIT_CODES_HELP } from './exit-codes';
import { memoryIO } from './memory-io';
import { colourEnabled, Output } from './output';
import { buildProgram, runCli } from './program';

/** Help and usage never need a configuration: reading it is a test failure. */
const noConfig = (): AppConfig => {
  throw new Error('the configuration was read');
};

const ANSI = new RegExp(String.fromCharCode(27) + '\\[');

async function cli(args: string[], options: Parameters<typeof memoryIO>[0] = {}) {
  const io = memoryIO(options);
  const code = await runCli(['node', 'vitrine', ...args], { config: noConfig, io });
  return { code, out: io.stdout.text(), err: io.stderr.text() };
}

/** Every command of the tree with its path (`tenants sync`), the root first. */
function walk(cmd: Command, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return [
    { path, cmd },
    ...cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => walk(c, [...path, c.name()])),
  ];
}

const commands = walk(buildProgram(noConfig, memoryIO()));
const leaves = commands.filter((c) => c.cmd.commands.length === 0);

/** The commands the issue lists for --json, plus outbox and db migrate. */
const JSON_COMMANDS = [
  'tenants sync',
  'tenants list',
  'tenants export',
  'tenant create',
  'tenant suspend',
  'tenant activate',
  'tenant archive',
  'import catalog',
  'import prices',
  'import customer-skus',
  'seed',
  'admin create',
  'admin token',
  'outbox list',
  'outbox retry',
  'db migrate',
];

describe('vitrine command tree', () => {
  it('has the commands scripts rely on', () => {
    expect(leaves.map((l) => l.path.join(' ')).sort()).toEqual([...JSON_COMMANDS].sort());
  });

  it.each(commands.map((c) => [c.path.join(' ') || '(root)', c.cmd] as const))(
    '%s has a description',
    (_, cmd) => {
      expect(cmd.description().length).toBeGreaterThan(10);
      for (const arg of cmd.registeredArguments) expect(arg.description).toBeTruthy();
      for (const opt of cmd.options) expect(opt.description).toBeTruthy();
    },
  );

  it.each(leaves.map((l) => [l.path.join(' ')] as const))(
    '%s --help prints its usage, arguments and examples and exits 0',
    async (path) => {
      const res = await cli([...path.split(' '), '--help']);
      expect(res.code).toBe(EXIT.ok);
      expect(res.out).toContain(`Usage: vitrine ${path}`);
      expect(res.out).toContain('--json');
      expect(res.out).toMatch(/\nExamples:\n {2}\S*.*npx vitrine /);
      expect(res.err).toBe('');
      expect(res.out).not.toMatch(ANSI);
    },
  );

  it.each(commands.filter((c) => c.cmd.commands.length > 0).map((c) => [c.path.join(' ')]))(
    'group "%s" lists its commands under --help',
    async (path) => {
      const res = await cli([...(path ? path.split(' ') : []), '--help']);
      expect(res.code).toBe(EXIT.ok);
      expect(res.out).toContain('Commands:');
    },
  );

  it('documents the exit codes and the JSON contract in vitrine --help', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(EXIT.ok);
    expect(res.out).toContain(EXIT_CODES_HELP);
    expect(res.out).toContain('NO_COLOR');
    expect(res.out).toContain('{"error": {"code", "message", "details"}}');
  });
});

describe('vitrine usage errors', () => {
  it('exits 2 for an unknown command, option or choice, a missing argument or a bad number', async () => {
    for (const args of [
      ['nope'],
      ['tenants', 'list', '--bogus'],
      ['tenants', 'list', '--status', 'LOST'],
      ['tenant', 'suspend'],
      ['seed', '--products', '-3'],
      ['admin', 'token', '--ttl', '0'],
      ['admin', 'create', '--email', 'a@b.example'],
      ['outbox', 'retry', 'abc'],
    ]) {
      const res = await cli(args);
      expect({ args, code: res.code }).toEqual({ args, code: EXIT.usage });
      expect(res.out).toBe('');
      expect(res.err).toMatch(/error: /);
    }
  });

  it('exits 2 for flags that do not go together, before touching the database', async () => {
    const both = await cli(['tenant', 'create', '--file', 'x.yaml', '--slug', 'x']);
    expect(both.code).toBe(EXIT.usage);
    expect(both.err).toBe('USAGE: Give either --file or the flags, not both.\n');
    expect((await cli(['tenant', 'create', '--name', 'No slug'])).code).toBe(EXIT.usage);
    expect((await cli(['outbox', 'retry'])).code).toBe(EXIT.usage);
    expect((await cli(['outbox', 'retry', '1', '--tenant', 'a'])).code).toBe(EXIT.usage);
  });

  it('shows the help on stderr (exit 2) for a group without its command', async () => {
    const res = await cli(['tenant']);
    expect(res.code).toBe(EXIT.usage);
    expect(res.err).toContain('Usage: vitrine tenant');
  });

  it('with --json, prints exactly one error document on stdout as well', async () => {
    for (const args of [
      ['tenants', 'list', '--bogus', '--json'],
      ['tenant', 'create', '--name', 'No slug', '--json'],
    ]) {
      const res = await cli(args);
      expect(res.code).toBe(EXIT.usage);
      const doc = JSON.parse(res.out) as { error: { code: string; message: string } };
      expect(doc.error.code).toBe('USAGE');
      expect(doc.error.message.length).toBeGreaterThan(5);
    }
  });
});

describe('vitrine colours', () => {
  it('colours only a terminal, never with NO_COLOR, always with FORCE_COLOR', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('writes errors in red on a terminal, and no escapes off a terminal or with NO_COLOR=1', async () => {
    const args = ['tenant', 'create', '--name', 'No slug'];
    const tty = await cli(args, { tty: true });
    expect(tty.err).toMatch(ANSI);
    expect(tty.err).toContain('\u001b[31m');
    for (const options of [{ tty: false }, { tty: true, env: { NO_COLOR: '1' } }]) {
      const res = await cli(args, options);
      expect(res.err).not.toMatch(ANSI);
      expect(res.err).toContain('Give --file, or at least --slug, --name and --domain.');
      const help = await cli(['tenant', 'create', '--help'], options);
      expect(help.out).not.toMatch(ANSI);
    }
  });

  it('never colours the JSON document, even on a terminal', () => {
    const io = memoryIO({ tty: true, env: { FORCE_COLOR: '1' } });
    const out = new Output(io, true);
    out.result({ a: 1 }, () => undefined);
    out.fail(VitrineError.notFound('There is no tenant "x".'));
    expect(io.stdout.text()).not.toMatch(ANSI);
    expect(io.stderr.text()).toMatch(ANSI);
    expect(out.interactive).toBe(false);
  });
});

describe('exit codes', () => {
  it.each([
    [VitrineError.badInput('bad'), EXIT.invalidInput, 'BAD_USER_INPUT'],
    [VitrineError.notFound('none'), EXIT.notFound, 'NOT_FOUND'],
    [new VitrineError('CONFLICT', 'taken'), EXIT.conflict, 'CONFLICT'],
    [new VitrineError('FORBIDDEN', 'no'), EXIT.forbidden, 'FORBIDDEN'],
    [new VitrineError('UNAUTHENTICATED', 'who'), EXIT.forbidden, 'UNAUTHENTICATED'],
    [new VitrineError('SERVICE_UNAVAILABLE', 'down'), EXIT.unavailable, 'SERVICE_UNAVAILABLE'],
    [new VitrineError('INTERNAL_SERVER_ERROR', 'bug'), EXIT.failure, 'INTERNAL_SERVER_ERROR'],
    [new CliUsageError('both'), EXIT.usage, 'USAGE'],
    [new CommanderError(1, 'commander.unknownOption', 'error: x'), EXIT.usage, 'USAGE'],
    [new CommanderError(0, 'commander.helpDisplayed', '(help)'), EXIT.ok, 'USAGE'],
    [
      new TenantFileError([{ file: 'a', path: 'theme', message: 'outside' }]),
      EXIT.invalidInput,
      'BAD_USER_INPUT',
    ],
    [
      new TenantFileError([{ file: 'a', path: 'domains[0]', message: 'taken', code: 'CONFLICT' }]),
      EXIT.conflict,
      'CONFLICT',
    ],
    [new ImportError('no such file', 'usage'), EXIT.usage, 'USAGE'],
    [new ImportError('unknown column', 'invalidInput'), EXIT.invalidInput, 'BAD_USER_INPUT'],
    [new ConfigError('DATABASE_URL: invalid'), EXIT.unavailable, 'UNAVAILABLE'],
    [new SchemaBehindError('behind'), EXIT.unavailable, 'UNAVAILABLE'],
    [new DatabaseInUseError('in use'), EXIT.unavailable, 'UNAVAILABLE'],
    [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      EXIT.unavailable,
      'UNAVAILABLE',
    ],
    [new TypeError('x is undefined'), EXIT.failure, 'INTERNAL_ERROR'],
  ])('%p exits %d as %s', (err, exitCode, code) => {
    expect(classify(err)).toMatchObject({ exitCode, code });
  });

  it('reports a refusal with its problems, and the error document with --json', () => {
    const err = VitrineError.badInput('Invalid tenant, nothing was applied.', {
      problems: [{ path: 'theme', message: '"../../etc" points outside the tenant\'s folder' }],
    });
    const human = memoryIO();
    expect(new Output(human, false).fail(err)).toBe(EXIT.invalidInput);
    expect(human.stdout.text()).toBe('');
    expect(human.stderr.text()).toBe(
      'BAD_USER_INPUT: Invalid tenant, nothing was applied:\n  theme: "../../etc" points outside the tenant\'s folder\n',
    );
    const json = memoryIO();
    new Output(json, true).fail(err);
    expect(JSON.parse(json.stdout.text())).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: 'Invalid tenant, nothing was applied.',
        details: err.details,
      },
    });
  });

  it('lists the problems once when the message already carries them', () => {
    const io = memoryIO();
    new Output(io, false).fail(
      new VitrineError(
        'CONFLICT',
        'Invalid tenant, nothing was applied: domains[0]: taken; slug: taken',
        {
          problems: [
            { path: 'domains[0]', message: 'taken' },
            { path: 'slug', message: 'taken' },
          ],
        },
      ),
    );
    expect(io.stderr.text()).toBe(
      'CONFLICT: Invalid tenant, nothing was applied:\n  domains[0]: taken\n  slug: taken\n',
    );
  });

  it('prints the stack of an unexpected error (exit 1) for whoever reports it', () => {
    const io = memoryIO();
    expect(new Output(io, false).fail(new TypeError('x is undefined'))).toBe(EXIT.failure);
    expect(io.stderr.text()).toMatch(/^INTERNAL_ERROR: x is undefined\n\s+at /);
  });
});
