import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from './data-source';
import { DatabaseInUseError } from './data-dir-lock';

describe('embedded database folder lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a second process (or DataSource) out of a folder in use, and lets it in once closed', async () => {
    const first = await createDataSource({ kind: 'pglite', dataDir: dir });
    expect(existsSync(join(dir, 'vitrine.lock'))).toBe(true);

    const second = createDataSource({ kind: 'pglite', dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DatabaseInUseError);
    await expect(second).rejects.toThrow(`The embedded database in ${dir} is in use`);

    await first.destroy();
    expect(existsSync(join(dir, 'vitrine.lock'))).toBe(false);

    const third = await createDataSource({ kind: 'pglite', dataDir: dir });
    expect(await third.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await third.destroy();
    // Three embedded databases opened on disk: about 10 s on an idle 2-core machine, several
    // times that when other test files compete for the cores.
  }, 180_000);
});
