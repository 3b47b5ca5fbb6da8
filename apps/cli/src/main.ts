import 'reflect-metadata';
import { TenantFileError } from '@vitrine/admin';
import { ImportError } from '@vitrine/catalog';
import { ConfigError, loadConfig } from '@vitrine/config';
import { DatabaseInUseError, SchemaBehindError } from '@vitrine/database';
import { buildProgram, EXIT } from './program';

async function main(): Promise<void> {
  await buildProgram(() => loadConfig()).parseAsync(process.argv);
}

main().catch((err: unknown) => {
  if (err instanceof TenantFileError) {
    console.error(err.message);
    process.exit(EXIT.invalidInput);
  }
  if (err instanceof ImportError) {
    console.error(err.message);
    process.exit(err.kind === 'usage' ? EXIT.usage : EXIT.invalidInput);
  }
  if (
    err instanceof ConfigError ||
    err instanceof SchemaBehindError ||
    err instanceof DatabaseInUseError
  ) {
    console.error(err.message);
    process.exit(EXIT.usage);
  }
  console.error(err);
  process.exit(EXIT.failure);
});
