// A fake `docker` CLI for tests (there is no Docker engine on the test machines). It supports
// exactly the subcommands and flags the host scripts use, fails loudly on anything else, and:
//   - appends every call's argv, verbatim, as one JSON line {"argv":[...],"pid":n,"at":iso} to
//     $FAKE_DOCKER_DIR/calls.jsonl, so tests can assert on what the scripts ran;
//   - keeps containers, volumes and networks as JSON files under $FAKE_DOCKER_DIR, so state
//     survives between calls the way a daemon's does.
// FAKE_DOCKER_DAEMON=down makes every call fail like a CLI that cannot reach its daemon.
// A container file may carry "Fake": {"cpuPercent": n, "memoryBytes": n} to steer `docker stats`.
// An image that cannot run (a broken build): a container of an image whose name contains `broken`, or
// one listed in $FAKE_DOCKER_DIR/crashing-images ("<image>" for every container of it, "<image>
// <container-name>" for that container only, one a line), exits at once with code 1 whenever it
// starts, as a real entrypoint that fails would.
//
// Two ways to run it, with the same commands and the same state files:
//   - `node fake-docker.mjs <docker args...>`: one call, one node process (40-80 ms of start-up);
//   - `node fake-docker.mjs --serve`: a long-lived fake daemon on a loopback port, written to
//     $FAKE_DOCKER_DIR/daemon.port, which testing/bin/docker (bash) talks to over /dev/tcp. A call
//     then costs a bash start-up, not a node one, and the state is kept in memory between calls
//     (written through to the files, so tests read it as before). With a thousand agents the per-call
//     mode spent more CPU starting node and re-reading every container file than the scripts did.
//     Files written by others while it runs (createFakeDocker's seeds) are picked up by name on the
//     next call; rewriting an existing file in place behind its back is not.
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const root = process.env.FAKE_DOCKER_DIR;

class DockerError extends Error {
  constructor(message, status = 1) {
    super(message);
    this.status = status;
  }
}

/** What one call prints and exits with; the per-call mode writes it out, the daemon sends it back. */
const io = { stdout: '', stderr: '' };

/** One docker call: `daemonState` is the caller's FAKE_DOCKER_DAEMON, `pid` the caller's process. */
function main(argv, daemonState, pid) {
  if (!root) throw new DockerError('fake docker: FAKE_DOCKER_DIR is not set', 125);
  mkdirSync(root, { recursive: true });
  appendFileSync(
    path.join(root, 'calls.jsonl'),
    `${JSON.stringify({ argv, pid, at: new Date().toISOString() })}\n`,
  );
  if (daemonState === 'down') {
    throw new DockerError(
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
  }
  const [command, ...rest] = argv;
  const handler = commands[command ?? ''];
  if (!handler) throw new DockerError(`docker: '${command}' is not a docker command (fake docker).`);
  handler(rest);
}

// ---------------------------------------------------------------- crashing images

/** Whether `container`'s image cannot run in it (see the header): read fresh on every start. */
function crashes(container) {
  const image = container.Config.Image;
  if (image.includes('broken')) return true;
  let listed = '';
  try {
    listed = readFileSync(path.join(root, 'crashing-images'), 'utf8');
  } catch {
    return false;
  }
  const name = container.Name.replace(/^\//, '');
  return listed.split('\n').some((line) => {
    const [listedImage, listedContainer] = line.trim().split(/\s+/);
    return listedImage === image && (!listedContainer || listedContainer === name);
  });
}

/** The state after a start: running, or exited at once for an image that cannot run. */
function startedState(container) {
  const at = now();
  if (crashes(container)) {
    return {
      ...container.State,
      Status: 'exited',
      Running: false,
      ExitCode: 1,
      StartedAt: at,
      FinishedAt: at,
    };
  }
  return { ...container.State, Status: 'running', Running: true, StartedAt: at };
}

// ---------------------------------------------------------------- argument parsing

/**
 * Parses flags the way the docker CLI does for the ones we accept: `--flag value`, `--flag=value`,
 * `-x value`. `spec` maps each accepted spelling to [canonical name, takesValue, repeatable].
 */
function parseFlags(args, spec, { stopAtFirstPositional = false } = {}) {
  const flags = {};
  const positionals = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (stopAtFirstPositional && positionals.length > 0) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const spelling = eq >= 0 ? arg.slice(0, eq) : arg;
    const known = spec[spelling];
    if (!known)
      throw new DockerError(
        `unknown flag: ${spelling} (fake docker supports only what the scripts use)`,
        125,
      );
    const [name, takesValue, repeatable] = known;
    let value = true;
    if (takesValue) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        if (i + 1 >= args.length) throw new DockerError(`flag needs an argument: ${spelling}`, 125);
        value = args[++i];
      }
    }
    if (repeatable) flags[name] = [...(flags[name] ?? []), value];
    else flags[name] = value;
  }
  return { flags, positionals };
}

const FORMAT = { '--format': ['format', true], '-f': ['format', true] };

// ---------------------------------------------------------------- templates

/** The subset of Go templates the scripts use: {{.A.B}}, {{index .A.B "key"}}, {{json .A}}. */
function render(format, context) {
  return format.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, expression) => {
    let match = /^index\s+(\.[\w.]*)\s+"([^"]*)"$/.exec(expression);
    if (match) return stringify(lookup(context, match[1])?.[match[2]] ?? '');
    match = /^json\s+(\.[\w.]*)$/.exec(expression);
    if (match) return JSON.stringify(lookup(context, match[1]) ?? null);
    match = /^(\.[\w.]*)$/.exec(expression);
    if (match) return stringify(lookup(context, match[1]));
    throw new DockerError(`template: unsupported expression {{${expression}}} (fake docker)`, 125);
  });
}

function lookup(context, dotted) {
  if (dotted === '.') return context;
  let value = context;
  for (const key of dotted.slice(1).split('.')) {
    if (value === undefined || value === null)
      throw new DockerError(`template: can't evaluate field ${key}`, 125);
    if (!(key in value)) throw new DockerError(`template: can't evaluate field ${key} (fake docker)`, 125);
    value = value[key];
  }
  return value;
}

function stringify(value) {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// ---------------------------------------------------------------- state

const dirs = {
  containers: () => path.join(root, 'containers'),
  volumes: () => path.join(root, 'volumes'),
  networks: () => path.join(root, 'networks'),
};

// The files of one kind, parsed, by file name. The per-call mode reads a directory once; the daemon
// lists it once per call and reads only the files it has not seen (a seed written by a test), so a
// call costs the same with one container as with a thousand.
const stores = new Map();
let serving = false;
let callNumber = 0;

function storeOf(kind) {
  let store = stores.get(kind);
  if (!store) {
    store = { byFile: new Map(), list: undefined, syncedAt: -1 };
    stores.set(kind, store);
  }
  if (store.syncedAt === callNumber || (!serving && store.syncedAt >= 0)) return store;
  store.syncedAt = callNumber;
  mkdirSync(dirs[kind](), { recursive: true });
  const names = new Set(readdirSync(dirs[kind]()).filter((f) => f.endsWith('.json')));
  for (const name of store.byFile.keys()) {
    if (!names.has(name)) {
      store.byFile.delete(name);
      store.list = undefined;
    }
  }
  for (const name of names) {
    if (store.byFile.has(name)) continue;
    try {
      store.byFile.set(name, JSON.parse(readFileSync(path.join(dirs[kind](), name), 'utf8')));
      store.list = undefined;
    } catch {
      // Removed between the listing and the read.
    }
  }
  return store;
}

function readAll(kind) {
  const store = storeOf(kind);
  store.list ??= [...store.byFile.values()];
  return store.list;
}

function write(kind, key, value) {
  const store = storeOf(kind);
  const file = path.join(dirs[kind](), `${key}.json`);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value, null, 2));
  renameSync(temporary, file);
  store.byFile.set(`${key}.json`, value);
  store.list = undefined;
}

function remove(kind, key) {
  const store = storeOf(kind);
  rmSync(path.join(dirs[kind](), `${key}.json`), { force: true });
  store.byFile.delete(`${key}.json`);
  store.list = undefined;
}

/** Containers by id and by "/name", rebuilt whenever the cached list changes. */
let containerIndex = { source: undefined, byKey: new Map() };

function findContainer(ref) {
  const all = readAll('containers');
  if (containerIndex.source !== all) {
    const byKey = new Map();
    for (const c of all) {
      byKey.set(c.Id, c);
      byKey.set(c.Name, c);
    }
    containerIndex = { source: all, byKey };
  }
  const exact = containerIndex.byKey.get(ref) ?? containerIndex.byKey.get(`/${ref}`);
  if (exact || ref.length < 4) return exact;
  // Like the daemon: a unique id prefix names a container too.
  const byPrefix = all.filter((c) => c.Id.startsWith(ref));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}

function requireContainer(ref) {
  const container = findContainer(ref);
  if (!container) throw new DockerError(`Error response from daemon: No such container: ${ref}`);
  return container;
}

function findVolume(name) {
  return readAll('volumes').find((v) => v.Name === name);
}

const now = () => new Date().toISOString().replace('Z', '000000Z');
const ZERO_TIME = '0001-01-01T00:00:00Z';

function labelsOf(values = []) {
  const labels = {};
  for (const entry of values) {
    const eq = entry.indexOf('=');
    if (eq < 0) labels[entry] = '';
    else labels[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return labels;
}

function out(text) {
  io.stdout += text.endsWith('\n') ? text : `${text}\n`;
}

function err(text) {
  io.stderr += text;
}

// ---------------------------------------------------------------- commands

const commands = {
  info(args) {
    const { flags } = parseFlags(args, FORMAT);
    const info = { ServerVersion: '28.0.0-fake', Containers: readAll('containers').length };
    out(flags.format ? render(flags.format, info) : JSON.stringify(info));
  },

  network([sub, ...args]) {
    if (sub === 'inspect') {
      const { flags, positionals } = parseFlags(args, FORMAT);
      const networks = readAll('networks');
      const found = positionals.map((name) => networks.find((n) => n.Name === name));
      const missing = positionals.filter((_, i) => !found[i]);
      for (const n of found.filter(Boolean))
        out(flags.format ? render(flags.format, n) : JSON.stringify([n]));
      if (missing.length)
        throw new DockerError(`Error response from daemon: network ${missing[0]} not found`);
      return;
    }
    if (sub === 'create') {
      const { flags, positionals } = parseFlags(args, { '--label': ['label', true, true] });
      const [name] = positionals;
      if (!name || positionals.length !== 1)
        throw new DockerError('"docker network create" requires exactly 1 argument.');
      if (readAll('networks').some((n) => n.Name === name)) {
        throw new DockerError(`Error response from daemon: network with name ${name} already exists`);
      }
      const network = { Name: name, Id: randomBytes(32).toString('hex'), Labels: labelsOf(flags.label) };
      write('networks', name, network);
      out(network.Id);
      return;
    }
    throw new DockerError(`docker network ${sub}: not supported by the fake docker`, 125);
  },

  volume([sub, ...args]) {
    if (sub === 'create') {
      const { flags, positionals } = parseFlags(args, { '--label': ['label', true, true] });
      const [name] = positionals;
      if (!name || positionals.length !== 1)
        throw new DockerError('"docker volume create" requires at most 1 argument.');
      // Like the daemon: creating an existing volume is a no-op that prints its name.
      if (!findVolume(name))
        write('volumes', name, { Name: name, Labels: labelsOf(flags.label), CreatedAt: now() });
      out(name);
      return;
    }
    if (sub === 'inspect') {
      const { flags, positionals } = parseFlags(args, FORMAT);
      let missing = false;
      for (const name of positionals) {
        const volume = findVolume(name);
        if (!volume) {
          err(`Error response from daemon: get ${name}: no such volume\n`);
          missing = true;
        } else out(flags.format ? render(flags.format, volume) : JSON.stringify([volume]));
      }
      if (missing) throw new DockerError('', 1);
      return;
    }
    if (sub === 'rm') {
      const { flags, positionals } = parseFlags(args, {
        '-f': ['force', false],
        '--force': ['force', false],
      });
      for (const name of positionals) {
        if (!findVolume(name)) {
          if (flags.force) continue;
          throw new DockerError(`Error response from daemon: get ${name}: no such volume`);
        }
        const user = readAll('containers').find((c) => c.Mounts.some((m) => m.Name === name));
        if (user) {
          throw new DockerError(
            `Error response from daemon: remove ${name}: volume is in use - [${user.Id}]`,
          );
        }
        remove('volumes', name);
        out(name);
      }
      return;
    }
    throw new DockerError(`docker volume ${sub}: not supported by the fake docker`, 125);
  },

  run(args) {
    const { flags, positionals } = parseFlags(
      args,
      {
        '-d': ['detach', false],
        '--detach': ['detach', false],
        '--name': ['name', true],
        '--hostname': ['hostname', true],
        '--restart': ['restart', true],
        '--cpus': ['cpus', true],
        '--memory': ['memory', true],
        '--memory-swap': ['memorySwap', true],
        '--pids-limit': ['pidsLimit', true],
        '--network': ['network', true],
        '--mount': ['mount', true, true],
        '--label': ['label', true, true],
        '-l': ['label', true, true],
        '--env': ['env', true, true],
        '-e': ['env', true, true],
        '--env-file': ['envFile', true, true],
      },
      { stopAtFirstPositional: true },
    );
    // Like the CLI: read when the run is made (the caller may remove the file right after), one
    // NAME=value per line, blank lines and # comments skipped, the value taken as it is.
    const fromFiles = (flags.envFile ?? []).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#')),
    );
    const [image, ...cmd] = positionals;
    if (!image) throw new DockerError('"docker run" requires at least 1 argument.', 125);
    if (!flags.detach) throw new DockerError('fake docker only runs detached containers (-d)', 125);
    const name = flags.name ?? `fake_${randomBytes(4).toString('hex')}`;
    const existing = findContainer(name);
    if (existing) {
      throw new DockerError(
        `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${existing.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
        125,
      );
    }
    if (flags.network && !readAll('networks').some((n) => n.Name === flags.network)) {
      throw new DockerError(`docker: Error response from daemon: network ${flags.network} not found.`, 125);
    }
    const mounts = (flags.mount ?? []).map((spec) => {
      // Like the CLI: comma-separated key=value fields, split at the first '='; volume-label repeats.
      const fields = {};
      const volumeLabels = [];
      for (const field of spec.split(',')) {
        const eq = field.indexOf('=');
        const key = eq < 0 ? field : field.slice(0, eq);
        const value = eq < 0 ? '' : field.slice(eq + 1);
        if (key === 'volume-label') volumeLabels.push(value);
        else if (['type', 'source', 'target'].includes(key)) fields[key] = value;
        else throw new DockerError(`fake docker: unsupported --mount field ${key}`, 125);
      }
      if (fields.type !== 'volume' || !fields.source || !fields.target) {
        throw new DockerError(`fake docker: unsupported --mount ${spec}`, 125);
      }
      // Like the daemon: a named volume that does not exist yet is created on first use, with the
      // mount's volume-labels; an existing one is used as it is.
      if (!findVolume(fields.source))
        write('volumes', fields.source, {
          Name: fields.source,
          Labels: labelsOf(volumeLabels),
          CreatedAt: now(),
        });
      return { Type: 'volume', Name: fields.source, Destination: fields.target };
    });
    const id = randomBytes(32).toString('hex');
    const container = {
      Id: id,
      Name: `/${name}`,
      Created: now(),
      Config: {
        Image: image,
        Cmd: cmd,
        Hostname: flags.hostname ?? id.slice(0, 12),
        Env: [...(flags.env ?? []), ...fromFiles],
        Labels: labelsOf(flags.label),
      },
      HostConfig: {
        NanoCpus: flags.cpus ? Math.round(Number(flags.cpus) * 1e9) : 0,
        Memory: parseSize(flags.memory),
        MemorySwap: parseSize(flags.memorySwap),
        PidsLimit: flags.pidsLimit ? Number(flags.pidsLimit) : null,
        RestartPolicy: { Name: flags.restart ?? 'no' },
        NetworkMode: flags.network ?? 'bridge',
      },
      Mounts: mounts,
      State: {
        Status: 'created',
        Running: false,
        OOMKilled: false,
        StartedAt: ZERO_TIME,
        FinishedAt: ZERO_TIME,
      },
      RestartCount: 0,
    };
    container.State = startedState(container);
    write('containers', id, container);
    out(id);
  },

  inspect(args) {
    const { flags, positionals } = parseFlags(args, { ...FORMAT, '--type': ['type', true] });
    if (flags.type && flags.type !== 'container')
      throw new DockerError(`fake docker: inspect --type ${flags.type}`, 125);
    const lines = [];
    let missing = false;
    for (const ref of positionals) {
      const container = findContainer(ref);
      if (!container) {
        err(`Error: No such container: ${ref}\n`);
        missing = true;
      } else lines.push(flags.format ? render(flags.format, container) : JSON.stringify(container));
    }
    if (lines.length) out(lines.join('\n'));
    if (missing) throw new DockerError('', 1);
  },

  ps(args) {
    const { flags, positionals } = parseFlags(args, {
      '-a': ['all', false],
      '--all': ['all', false],
      '-q': ['quiet', false],
      '--quiet': ['quiet', false],
      '--no-trunc': ['noTrunc', false],
      '--filter': ['filter', true, true],
      ...FORMAT,
    });
    if (positionals.length) throw new DockerError('"docker ps" accepts no arguments.');
    let containers = readAll('containers');
    if (!flags.all) containers = containers.filter((c) => c.State.Status === 'running');
    for (const filter of flags.filter ?? []) {
      const [key, ...value] = filter.split('=');
      if (key !== 'label') throw new DockerError(`fake docker: ps --filter ${key} is not supported`, 125);
      const [labelKey, ...labelValue] = value.join('=').split('=');
      containers = containers.filter((c) =>
        labelValue.length ? c.Config.Labels[labelKey] === labelValue.join('=') : labelKey in c.Config.Labels,
      );
    }
    containers.sort((a, b) => b.Created.localeCompare(a.Created));
    if (!flags.quiet) throw new DockerError('fake docker: ps supports only --quiet', 125);
    if (containers.length) out(containers.map((c) => (flags.noTrunc ? c.Id : c.Id.slice(0, 12))).join('\n'));
  },

  stats(args) {
    const { flags, positionals } = parseFlags(args, { '--no-stream': ['noStream', false], ...FORMAT });
    if (!flags.noStream) throw new DockerError('fake docker: stats needs --no-stream', 125);
    const lines = [];
    for (const ref of positionals) {
      const container = requireContainer(ref);
      const running = container.State.Status === 'running';
      const cpu = running ? (container.Fake?.cpuPercent ?? 0.5) : 0;
      const memory = running ? (container.Fake?.memoryBytes ?? 50 * 1024 * 1024) : 0;
      const limit = container.HostConfig.Memory || 8 * 1024 ** 3;
      const row = {
        Container: ref,
        ID: container.Id.slice(0, 12),
        Name: container.Name.slice(1),
        CPUPerc: `${cpu.toFixed(2)}%`,
        MemUsage: `${humanBytes(memory)} / ${humanBytes(limit)}`,
      };
      lines.push(flags.format ? render(flags.format, row) : JSON.stringify(row));
    }
    if (lines.length) out(lines.join('\n'));
  },

  start(args) {
    for (const ref of args) {
      const container = requireContainer(ref);
      if (container.State.Status !== 'running') {
        container.State = startedState(container);
        write('containers', container.Id, container);
      }
      out(ref);
    }
  },

  stop(args) {
    const { positionals } = parseFlags(args, { '-t': ['time', true], '--time': ['time', true] });
    for (const ref of positionals) {
      const container = requireContainer(ref);
      if (container.State.Status === 'running') {
        container.State = { ...container.State, Status: 'exited', Running: false, FinishedAt: now() };
        write('containers', container.Id, container);
      }
      out(ref);
    }
  },

  restart(args) {
    const { positionals } = parseFlags(args, { '-t': ['time', true], '--time': ['time', true] });
    for (const ref of positionals) {
      const container = requireContainer(ref);
      container.State = startedState(container);
      write('containers', container.Id, container);
      out(ref);
    }
  },

  rm(args) {
    const { flags, positionals } = parseFlags(args, {
      '-f': ['force', false],
      '--force': ['force', false],
      '-v': ['volumes', false],
      '--volumes': ['volumes', false],
    });
    for (const ref of positionals) {
      const container = requireContainer(ref);
      if (container.State.Status === 'running' && !flags.force) {
        throw new DockerError(
          `Error response from daemon: cannot remove container "${container.Name}": container is running: stop the container before removing or force remove`,
        );
      }
      // --volumes removes anonymous volumes only; named volumes stay, as with the real daemon.
      remove('containers', container.Id);
      out(ref);
    }
  },
};

function parseSize(text) {
  if (!text) return 0;
  const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(text);
  if (!match) throw new DockerError(`invalid size: '${text}'`, 125);
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * unit);
}

function humanBytes(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(3))}${units[unit]}`;
}

/** Runs one call and returns its exit status; the output is in `io`. */
function call(argv, daemonState, pid) {
  io.stdout = '';
  io.stderr = '';
  callNumber++;
  try {
    main(argv, daemonState, pid);
    return 0;
  } catch (error) {
    if (!(error instanceof DockerError)) throw error;
    if (error.message) err(`${error.message}\n`);
    return error.status;
  }
}

/**
 * The daemon. A request is NUL-terminated fields: FAKE_DOCKER_DAEMON, the caller's pid, the argument
 * count, the arguments. The answer is a line "<status> <stderr bytes> <stdout bytes>", then stderr,
 * then stdout. Calls are handled one at a time, as they arrive: each is atomic, as with dockerd.
 * It stops when its standard input closes (its parent, the test process, is gone) or on SIGTERM.
 */
function serve() {
  serving = true;
  if (!root) throw new Error('fake docker: FAKE_DOCKER_DIR is not set');
  mkdirSync(root, { recursive: true });
  const portFile = path.join(root, 'daemon.port');
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      const fields = [];
      let start = 0;
      for (let i = 0; i < buffered.length; i++) {
        if (buffered[i] !== 0) continue;
        fields.push(buffered.toString('utf8', start, i));
        start = i + 1;
      }
      if (fields.length < 3) return;
      const count = Number(fields[2]);
      if (fields.length < 3 + count) return;
      socket.removeAllListeners('data');
      let status;
      try {
        status = call(fields.slice(3, 3 + count), fields[0], Number(fields[1]));
      } catch (error) {
        io.stdout = '';
        io.stderr = `fake docker: ${error instanceof Error ? error.stack : String(error)}\n`;
        status = 125;
      }
      const stderr = Buffer.from(io.stderr);
      const stdout = Buffer.from(io.stdout);
      socket.end(
        Buffer.concat([Buffer.from(`${status} ${stderr.length} ${stdout.length}\n`), stderr, stdout]),
      );
    });
    socket.on('error', () => {});
  });
  const stop = () => {
    rmSync(portFile, { force: true });
    process.exit(0);
  };
  server.listen(0, '127.0.0.1', () => {
    const temporary = `${portFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${server.address().port}\n`);
    renameSync(temporary, portFile);
  });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

if (process.argv[2] === '--serve') {
  serve();
} else {
  const status = call(process.argv.slice(2), process.env.FAKE_DOCKER_DAEMON, process.pid);
  process.stderr.write(io.stderr);
  process.stdout.write(io.stdout, () => process.exit(status));
}
