/**
 * Username rules. A username becomes a hostname label and a positional argument to host scripts, so
 * this is a security boundary: the allowed alphabet is exactly [a-z0-9-], checked on the raw string.
 */

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;

/** Names that would collide with our own hostnames, routes or well-known mailboxes. */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'abuse',
  'account',
  'accounts',
  'admin',
  'administrator',
  'agent',
  'agents',
  'api',
  'app',
  'assets',
  'auth',
  'billing',
  'blog',
  'cdn',
  'dashboard',
  'dev',
  'dns',
  'docs',
  'email',
  'ftp',
  'health',
  'help',
  'hostmaster',
  'imap',
  'internal',
  'localhost',
  'login',
  'logout',
  'mail',
  'metrics',
  'no-reply',
  'noreply',
  'ns1',
  'ns2',
  'null',
  'onboarding',
  'pending',
  'pop',
  'portal',
  'postmaster',
  'proxy',
  'public',
  'register',
  'root',
  'security',
  'settings',
  'signin',
  'signout',
  'signup',
  'smtp',
  'staging',
  'static',
  'status',
  'support',
  'system',
  'test',
  'traefik',
  'undefined',
  'webmaster',
  'www',
]);

export type UsernameRule =
  | 'required'
  | 'too_short'
  | 'too_long'
  | 'whitespace'
  | 'charset'
  | 'start_letter'
  | 'end_hyphen'
  | 'double_hyphen'
  | 'reserved'
  | 'taken';

export interface UsernameProblem {
  rule: UsernameRule;
  message: string;
}

/**
 * Only ASCII capitals are folded. `String#toLowerCase` would also fold look-alikes such as the Kelvin
 * sign (U+212A → "k"), letting a non-ASCII name pass as an ASCII one.
 */
export function foldUsername(raw: string): string {
  return raw.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Every rule the (folded) input breaks, in the order a person would fix them. Empty when valid. */
export function usernameProblems(raw: string): UsernameProblem[] {
  const name = foldUsername(raw);
  if (name.length === 0) return [{ rule: 'required', message: 'Choose a username.' }];
  const problems: UsernameProblem[] = [];
  // Length counts code points so a 3-emoji name is "3 characters", matching what the person typed.
  const length = [...name].length;
  if (length < USERNAME_MIN) {
    problems.push({ rule: 'too_short', message: `Use at least ${USERNAME_MIN} characters.` });
  }
  if (length > USERNAME_MAX) {
    problems.push({ rule: 'too_long', message: `Use at most ${USERNAME_MAX} characters.` });
  }
  if (/\s/u.test(name)) problems.push({ rule: 'whitespace', message: 'Spaces are not allowed.' });
  if (/[^a-z0-9\-\s]/.test(name)) {
    problems.push({
      rule: 'charset',
      message: 'Use only lowercase letters a–z, digits and hyphens (no accents or other scripts).',
    });
  }
  if (!/^[a-z]/.test(name)) problems.push({ rule: 'start_letter', message: 'Start with a letter a–z.' });
  if (name.endsWith('-')) problems.push({ rule: 'end_hyphen', message: 'Do not end with a hyphen.' });
  if (name.includes('--')) problems.push({ rule: 'double_hyphen', message: 'Use single hyphens only.' });
  if (RESERVED_USERNAMES.has(name)) {
    problems.push({ rule: 'reserved', message: `“${name}” is reserved. Pick another name.` });
  }
  return problems;
}

/** The final gate: true only for a name every rule accepts. Host code calls this again before use. */
export function isValidUsername(name: string): boolean {
  return /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){2,31}$/.test(name) && !RESERVED_USERNAMES.has(name);
}
