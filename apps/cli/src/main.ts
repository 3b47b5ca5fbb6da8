import 'reflect-metadata';
import { loadConfig } from '@vitrine/config';
import { processIO } from './output';
import { runCli } from './program';

// The one place the CLI looks at the environment: the configuration (loadConfig) and the
// terminal's colour settings (NO_COLOR, FORCE_COLOR, TERM).
const env = process.env;
runCli(process.argv, { config: () => loadConfig(env), io: processIO(env) }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli reports every failure itself; this is a bug in the CLI.
    console.error(err);
    process.exitCode = 1;
  },
);

// `vitrine tenants list | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
