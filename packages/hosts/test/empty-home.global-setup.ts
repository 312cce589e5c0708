/**
 * For vitest's `globalSetup`, with `empty-home.setup.ts` in `setupFiles`: the run's HOME is an empty
 * temporary directory, and a test file that leaves anything in it fails. Agent state, script bundles and every other default live under
 * DATA_DIR or a test's own temp dir, never in the home directory of whoever runs the tests (two
 * installs, or a test run and a real install, would otherwise share it).
 *
 * The test workers inherit the environment set here (as they inherit TEST_DATABASE_URL), and so do the
 * host scripts they run (the local transport passes HOME on). The test sshd gives its sessions a HOME
 * of their own (packages/hosts/src/testing/sshd.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The name of the run's HOME starts with this (empty-home.setup.ts checks only such a HOME). */
export const TEST_HOME_PREFIX = 'pocket-smyth-test-home-';

export default function setup(): () => void {
  const home = mkdtempSync(path.join(tmpdir(), TEST_HOME_PREFIX));
  const previous = process.env.HOME;
  process.env.HOME = home;
  return () => {
    const written = readdirSync(home, { recursive: true }).map(String).sort();
    if (previous === undefined) delete process.env.HOME;
    else process.env.HOME = previous;
    rmSync(home, { recursive: true, force: true });
    // Each file's own check (empty-home.setup.ts) has failed already; this names what was left.
    if (written.length > 0) {
      console.error(
        `[empty-home] the tests wrote into the home directory: ${written.slice(0, 20).join(', ')}`,
      );
    }
  };
}
