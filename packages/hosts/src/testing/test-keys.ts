import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ssh2 from 'ssh2';

/** An ed25519 key pair written as `<file>` and `<file>.pub`; ssh-keygen when present, ssh2 otherwise. */
export function generateKeyPairFiles(
  file: string,
  comment: string,
): { privateKey: string; publicKeyLine: string } {
  const sshKeygen = ['/usr/bin/ssh-keygen', '/usr/local/bin/ssh-keygen'].find((candidate) =>
    existsSync(candidate),
  );
  if (sshKeygen) {
    execFileSync(sshKeygen, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], {
      stdio: 'ignore',
    });
  } else {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    writeFileSync(file, pair.private, { mode: 0o600 });
    writeFileSync(`${file}.pub`, `${pair.public}\n`);
  }
  return {
    privateKey: readFileSync(file, 'utf8'),
    publicKeyLine: readFileSync(`${file}.pub`, 'utf8').trim(),
  };
}
