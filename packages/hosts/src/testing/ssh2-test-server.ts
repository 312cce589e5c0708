import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { constants } from 'node:os';
import ssh2, { type Connection } from 'ssh2';
import { inheritedEnvironment } from '../env';

export interface Ssh2TestServerOptions {
  port: number;
  user: string;
  hostPrivateKey: string;
  authorizedPublicKeyLine: string;
  /** HOME of every command (a login's home): the test's own directory, never the real home. */
  home: string;
  log: (line: string) => void;
}

/**
 * Stand-in for OpenSSH when /usr/sbin/sshd is absent: ssh2's own server on 127.0.0.1 that accepts
 * one public key for one user and runs each exec request as `bash -c <command>`, which is what
 * sshd does with the login shell. Supports stdin, exit status and the TERM/KILL signal request.
 */
export async function startSsh2TestServer(
  options: Ssh2TestServerOptions,
): Promise<{ dropConnections(): Promise<void>; close(): Promise<void> }> {
  const authorized = ssh2.utils.parseKey(options.authorizedPublicKeyLine);
  if (authorized instanceof Error) throw authorized;
  const authorizedBlob = authorized.getPublicSSH();
  const connections = new Set<Connection>();
  const children = new Set<ReturnType<typeof spawn>>();

  const server = new ssh2.Server({ hostKeys: [options.hostPrivateKey] }, (client) => {
    connections.add(client);
    options.log('connection accepted');
    client.on('close', () => connections.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      options.log(`userauth-request for user ${ctx.username} method ${ctx.method}`);
      if (ctx.method !== 'publickey' || ctx.username !== options.user) return ctx.reject(['publickey']);
      const sameKey =
        ctx.key.algo === authorized.type &&
        ctx.key.data.length === authorizedBlob.length &&
        timingSafeEqual(ctx.key.data, authorizedBlob);
      if (!sameKey) return ctx.reject(['publickey']);
      // Without a signature the client only asks whether this key would do.
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      if (authorized.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      options.log(`Accepted publickey for ${ctx.username}`);
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        let child: ReturnType<typeof spawn> | undefined;
        session.on('signal', (_accept, _reject, info) => {
          const name = `SIG${info.name}` as NodeJS.Signals;
          if (child && name in constants.signals) child.kill(name);
        });
        session.on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          options.log(`exec ${info.command}`);
          const env: Record<string, string | undefined> = { ...inheritedEnvironment(), HOME: options.home };
          child = spawn('bash', ['-c', info.command], {
            cwd: options.home,
            // A cast, as in local-transport.ts: Next's global types make NODE_ENV a required key.
            env: env as NodeJS.ProcessEnv,
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          const running = child;
          children.add(running);
          channel.pipe(running.stdin!);
          running.stdout!.pipe(channel, { end: false });
          running.stderr!.pipe(channel.stderr, { end: false });
          running.on('close', (code, signal) => {
            children.delete(running);
            if (code !== null) channel.exit(code);
            else channel.exit(signal?.replace(/^SIG/, '') ?? 'KILL', false, '');
            channel.end();
          });
          channel.on('close', () => {
            // The client went away: like sshd, stop caring about the command's output.
            running.stdin?.destroy();
          });
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });

  return {
    dropConnections: async () => {
      for (const connection of connections) connection.end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const child of children) child.kill('SIGKILL');
        for (const connection of connections) connection.end();
        server.close(() => resolve());
      }),
  };
}
