/**
 * SSH: a command on the pooled connection vs connect + command + close each time, against the
 * loopback test sshd. Target (issue 3): pooled ≤ 15% of connect+exec.
 *
 * Both paths go through SshTransport with the same trivial script (it prints `{}`), so the only
 * difference is the connection: the cold path pays TCP + key exchange + auth + the once-per-
 * connection check that the script bundle is installed. A raw ssh2 pair (`true`, no transport)
 * is printed too, to show the protocol's own share.
 *
 * Every exec on OpenSSH starts the login user's shell. The test sshd keeps bash from reading the
 * user's ~/.bashrc (SetEnv SHLVL=1), as a dedicated host account with no rc files would; what the
 * rc files of the account running this would add to every exec is printed for reference.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SCRIPTS_DIR, SshTransport, type SshTransportOptions } from '@pocket-smyth/hosts';
import { startTestSshd } from '@pocket-smyth/hosts/testing';
import ssh2 from 'ssh2';

const WARMUP = 10;
const ITERATIONS = 200;

function trivialScripts(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ps-bench-scripts-'));
  mkdirSync(path.join(dir, 'lib'));
  copyFileSync(
    path.join(DEFAULT_SCRIPTS_DIR, 'lib', 'channel-guard.sh'),
    path.join(dir, 'lib', 'channel-guard.sh'),
  );
  writeFileSync(path.join(dir, 'status'), "#!/usr/bin/env bash\necho '{}'\n");
  chmodSync(path.join(dir, 'status'), 0o755);
  return dir;
}

function summarize(label: string, samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const p50 = at(0.5);
  const p95 = at(0.95);
  console.log(
    `${label.padEnd(34)} ${(1000 / mean).toFixed(1).padStart(7)} /s   mean ${mean.toFixed(2).padStart(7)} ms   p50 ${p50.toFixed(2).padStart(7)} ms   p95 ${p95.toFixed(2).padStart(7)} ms`,
  );
  return { p50, p95, mean };
}

async function timed(times: number, run: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main(): Promise<void> {
  const sshd = await startTestSshd();
  const scriptsDir = trivialScripts();
  const remoteScriptsRoot = path.join(sshd.dir, 'remote-scripts');
  const options: SshTransportOptions = {
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    privateKey: { kind: 'file', path: sshd.clientKeyPath },
    hostKeyFingerprint: sshd.hostKeyFingerprint,
    scriptsDir,
    remoteScriptsRoot,
  };
  console.log(
    `server: ${sshd.kind} on 127.0.0.1:${sshd.port}; ${WARMUP} warm-up + ${ITERATIONS} timed, one at a time`,
  );

  try {
    const pooled = new SshTransport(options);
    const runPooled = async () => {
      const result = await pooled.exec('status', []);
      if (result.code !== 0) throw new Error(result.stderr);
    };
    const runCold = async () => {
      const transport = new SshTransport(options);
      const result = await transport.exec('status', []);
      await transport.close();
      if (result.code !== 0) throw new Error(result.stderr);
    };
    await timed(WARMUP, runPooled);
    await timed(WARMUP, runCold);
    const pooledStats = summarize('transport, pooled connection', await timed(ITERATIONS, runPooled));
    const coldStats = summarize('transport, connect+exec+close', await timed(ITERATIONS, runCold));
    await pooled.close();

    const privateKey = readFileSync(sshd.clientKeyPath, 'utf8');
    const connect = () =>
      new Promise<InstanceType<typeof ssh2.Client>>((resolve, reject) => {
        const client = new ssh2.Client();
        client.once('ready', () => resolve(client)).once('error', reject);
        client.connect({ host: sshd.host, port: sshd.port, username: sshd.user, privateKey });
      });
    const rawExec = (client: InstanceType<typeof ssh2.Client>) =>
      new Promise<void>((resolve, reject) => {
        client.exec('true', (error, channel) => {
          if (error) return reject(error);
          channel.on('close', () => resolve()).resume();
          channel.stderr.resume();
        });
      });
    const rawClient = await connect();
    await timed(WARMUP, () => rawExec(rawClient));
    const rawPooled = summarize('raw ssh2 `true`, pooled', await timed(ITERATIONS, () => rawExec(rawClient)));
    rawClient.end();
    const rawCold = summarize(
      'raw ssh2 `true`, connect+exec+end',
      await timed(ITERATIONS, async () => {
        const client = await connect();
        await rawExec(client);
        client.end();
      }),
    );

    // bash sources ~/.bashrc when it sees SSH_CLIENT and SHLVL < 2, as under a stock sshd.
    const shellEnv: NodeJS.ProcessEnv = { ...process.env, SSH_CLIENT: '127.0.0.1 40000 22', HOME: homedir() };
    delete shellEnv.SHLVL;
    const shell = await timed(20, async () => {
      execFileSync('bash', ['-c', 'true'], { env: shellEnv, stdio: 'ignore' });
    });
    const shellMean = shell.reduce((a, b) => a + b, 0) / shell.length;
    console.log(
      `(for reference: this account's ~/.bashrc would add ${shellMean.toFixed(1)} ms to every exec under a stock sshd)`,
    );

    const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
    const ratio = pooledStats.mean / coldStats.mean;
    console.log(
      `pooled / connect+exec, transport, mean: ${percent(pooledStats.mean, coldStats.mean)} (target ≤ 15%: ${ratio <= 0.15 ? 'met' : 'NOT met'})`,
    );
    console.log(`pooled / connect+exec, transport, p50:  ${percent(pooledStats.p50, coldStats.p50)}`);
    console.log(`pooled / connect+exec, raw ssh2, mean:  ${percent(rawPooled.mean, rawCold.mean)}`);
  } finally {
    await sshd.stop();
    rmSync(scriptsDir, { recursive: true, force: true });
  }
}

await main();
