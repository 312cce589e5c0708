/**
 * One status poll of a host with 1,000 agents, through the local transport and the real `status`
 * script. Target (issue 3): ≤ 1 s.
 *
 * docker runtime: the fake docker holds 1,000 agent containers (900 running); the poll is three
 * docker calls (ps, inspect, stats) whatever the count. The fake is a node script, so each call
 * pays a node start-up that the real (Go) CLI does not; a second run replays its answers from a
 * bash stub, to show what the script, awk, the transport and zod cost on their own.
 * process runtime: 1,000 agent directories (their pids are not alive: starting 1,000 node
 * processes would measure the machine, not the poll), read with shell builtins and one `ps`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalTransport, readHostStatus } from '@pocket-smyth/hosts';
import { createFakeDocker, FAKE_DOCKER_BIN_DIR } from '@pocket-smyth/hosts/testing';

const AGENTS = 1_000;
const RUNS = 5;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function poll(label: string, transport: LocalTransport, expectRunning: number): Promise<number[]> {
  const first = await readHostStatus(transport); // warm-up (file cache)
  if (first.agents.length !== AGENTS) throw new Error(`${label}: saw ${first.agents.length} agents`);
  const running = first.agents.filter((a) => a.state === 'running').length;
  if (running !== expectRunning) throw new Error(`${label}: ${running} running, expected ${expectRunning}`);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await readHostStatus(transport);
    samples.push(performance.now() - started);
  }
  console.log(
    `${label.padEnd(44)} median ${median(samples).toFixed(0).padStart(5)} ms   min ${Math.min(...samples)
      .toFixed(0)
      .padStart(5)} ms   max ${Math.max(...samples)
      .toFixed(0)
      .padStart(5)} ms`,
  );
  return samples;
}

async function main(): Promise<void> {
  console.log(`${AGENTS} agents, ${RUNS} polls after one warm-up`);

  const fake = createFakeDocker();
  const stateDir = mkdtempSync(path.join(tmpdir(), 'ps-bench-agents-'));
  try {
    for (let i = 0; i < AGENTS; i++) {
      fake.seedAgentContainer(`agent-${String(i).padStart(4, '0')}`, {
        running: i % 10 !== 0,
        cpuPercent: (i % 7) * 0.5,
        memoryBytes: (64 + (i % 32)) * 1024 * 1024,
      });
    }
    const docker = await poll(
      'docker runtime (fake docker), one poll',
      new LocalTransport({ env: fake.env }),
      900,
    );

    // The same poll with a `docker` that replays the fake's recorded answers instantly: what the
    // script, awk, the transport and zod cost on their own, without the fake's node start-ups.
    const calls = fake.calls().slice(-3);
    const replayDir = mkdtempSync(path.join(tmpdir(), 'ps-bench-replay-'));
    const cases = calls.map((call, index) => {
      const output = execFileSync(path.join(FAKE_DOCKER_BIN_DIR, 'docker'), call.argv, {
        env: { ...process.env, ...fake.env },
        maxBuffer: 64 * 1024 * 1024,
      });
      writeFileSync(path.join(replayDir, `answer-${index}`), output);
      return `  ${call.argv[0]}) cat "$(dirname "$0")/answer-${index}" ;;`;
    });
    writeFileSync(
      path.join(replayDir, 'docker'),
      `#!/usr/bin/env bash\ncase "$1" in\n${cases.join('\n')}\n  *) exit 1 ;;\nesac\n`,
    );
    chmodSync(path.join(replayDir, 'docker'), 0o755);
    const replay = await poll(
      'docker runtime, docker answers replayed',
      new LocalTransport({ env: { ...fake.env, PATH: `${replayDir}:${process.env.PATH ?? ''}` } }),
      900,
    );
    rmSync(replayDir, { recursive: true, force: true });

    for (let i = 0; i < AGENTS; i++) {
      const dir = path.join(stateDir, `agent-${String(i).padStart(4, '0')}`);
      mkdirSync(path.join(dir, 'data'), { recursive: true });
      // Pids far above any pid_max default, so none is alive.
      writeFileSync(path.join(dir, 'pid'), `${4_000_000 + i}\n`);
      writeFileSync(path.join(dir, 'port'), `${20_000 + i}\n`);
      writeFileSync(path.join(dir, 'agent-id'), `id-${i}\n`);
      writeFileSync(path.join(dir, 'memory-mb'), '256\n');
      writeFileSync(path.join(dir, 'since'), '2026-01-01T00:00:00Z\n');
    }
    const process_ = await poll(
      'process runtime (1,000 state dirs), one poll',
      new LocalTransport({ env: { AGENT_RUNTIME: 'process', AGENT_STATE_DIR: stateDir } }),
      0,
    );

    const worst = Math.max(median(docker), median(process_));
    console.log(
      `target ≤ 1000 ms per poll: ${worst <= 1000 ? 'met' : 'NOT met'} (worst median ${worst.toFixed(0)} ms)`,
    );
    const ours = Math.max(median(replay), median(process_));
    console.log(
      `  without the fake docker's node start-ups: ${ours.toFixed(0)} ms (${ours <= 1000 ? 'met' : 'NOT met'})`,
    );
  } finally {
    fake.remove();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
