/**
 * For vitest's `setupFiles`, with `empty-home.global-setup.ts`: after each test file, the run's HOME (an
 * empty temporary directory) must still be empty, or the file fails. (A global setup's teardown cannot
 * fail the run; a file's `afterAll` can.)
 */
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { TEST_HOME_PREFIX } from './empty-home.global-setup';

afterAll(() => {
  const home = homedir();
  if (!path.basename(home).startsWith(TEST_HOME_PREFIX)) return;
  const written = readdirSync(home, { recursive: true }).map(String).sort();
  if (written.length > 0) {
    throw new Error(`a test wrote into the home directory (${home}): ${written.slice(0, 20).join(', ')}`);
  }
});
