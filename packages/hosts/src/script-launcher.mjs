// The local transport's launcher: a small node process that starts the host scripts for the worker.
// Node forks the whole process to start a child (libuv's fork + exec), and a fork costs in proportion
// to the parent's memory: 15-40 ms for a worker with a database driver loaded, during which its event
// loop stands still. This process holds little memory, so its forks are cheaper, and they happen here,
// beside the worker rather than in it. Plain JavaScript, no imports beyond node: it must start fast.
//
// Protocol: one JSON object per line each way, on stdin and stdout.
//   in   {"op":"run","id":n,"file":"bash","args":[...],"env":{...},"stdoutCap":n,"stderrCap":n,"stdin"?:"base64"}
//        {"op":"kill","id":n,"signal":"SIGTERM"}  signals the run's whole process group
//   out  {"id":n,"error":"..."}                            the process could not be started
//        {"id":n,"code":n|null,"signal":s|null,"stdout":"...","stderr":"...","truncated":[bool,bool]}
// Arguments travel as an argv array, never through a shell. The launcher ends when stdin closes.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const children = new Map();

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Keeps at most `cap` bytes, the most recent (errors come last), and says whether it dropped any. */
function collector(cap) {
  const chunks = [];
  let size = 0;
  let dropped = false;
  return {
    push(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      while (size > cap && chunks.length > 1) {
        size -= chunks.shift().length;
        dropped = true;
      }
    },
    result() {
      const joined = Buffer.concat(chunks);
      const kept = joined.length > cap ? joined.subarray(joined.length - cap) : joined;
      return { text: kept.toString('utf8'), truncated: dropped || kept !== joined };
    },
  };
}

function run(request) {
  let child;
  try {
    child = spawn(request.file, request.args, {
      env: request.env,
      stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      // Its own process group, so a kill stops the script and everything it started in the foreground.
      detached: true,
    });
  } catch (error) {
    send({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (request.stdin) {
    // A script that exits without reading it all closes the pipe: nothing to report.
    child.stdin.on('error', () => {});
    child.stdin.end(Buffer.from(request.stdin, 'base64'));
  }
  const stdout = collector(request.stdoutCap);
  const stderr = collector(request.stderrCap);
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  children.set(request.id, child);
  let failed = false;
  child.on('error', (error) => {
    failed = true;
    children.delete(request.id);
    send({ id: request.id, error: error.message });
  });
  child.on('close', (code, signal) => {
    children.delete(request.id);
    if (failed) return;
    const out = stdout.result();
    const err = stderr.result();
    send({
      id: request.id,
      code,
      signal,
      stdout: out.text,
      stderr: err.text,
      truncated: [out.truncated, err.truncated],
    });
  });
}

function kill(request) {
  const child = children.get(request.id);
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, request.signal);
  } catch {
    // Already gone.
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (!line) return;
  const request = JSON.parse(line);
  if (request.op === 'run') run(request);
  else if (request.op === 'kill') kill(request);
});
// The worker is gone: scripts still running finish on their own (as they would after a worker crash).
lines.on('close', () => process.exit(0));
