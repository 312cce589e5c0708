import { createHash } from 'node:crypto';

/**
 * Host key fingerprints in the form `ssh-keygen -lf` prints and admins paste when they add a host:
 * `SHA256:` and the unpadded base64 of the SHA-256 of the public key blob.
 */
export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export function isHostKeyFingerprint(text: string): boolean {
  return HOST_KEY_FINGERPRINT.test(text);
}

/** Accepts the padded form too (`...=`), as some tools print it, and returns the canonical one. */
export function normalizeHostKeyFingerprint(text: string): string {
  const trimmed = text.trim().replace(/=+$/, '');
  if (!isHostKeyFingerprint(trimmed)) {
    throw new TypeError(
      'a host key fingerprint looks like SHA256:<43 base64 characters>, as ssh-keygen -lf prints',
    );
  }
  return trimmed;
}

/** The fingerprint of a public key blob (the wire format, as ssh2's hostVerifier receives it). */
export function fingerprintHostKey(publicKeyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`, or ssh-keyscan output). */
export function fingerprintPublicKeyLine(line: string): string {
  const fields = line.trim().split(/\s+/);
  // ssh-keyscan prints "host keytype base64"; a .pub file "keytype base64 comment".
  const blob = fields.find((field, i) => i > 0 && /^AAAA[A-Za-z0-9+/]+=*$/.test(field));
  if (!blob) throw new TypeError('not an OpenSSH public key line');
  return fingerprintHostKey(Buffer.from(blob, 'base64'));
}
