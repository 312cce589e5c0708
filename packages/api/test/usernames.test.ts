/**
 * Usernames are a security boundary (they reach host scripts and hostnames): hostile input must be
 * refused with a clear rule, and a refused name must leave no trace in the database.
 */

import {
  foldUsername,
  isValidUsername,
  RESERVED_USERNAMES,
  type UsernameRule,
  usernameProblems,
} from '@pocket-smyth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentRowByPerson,
  auditCount,
  auditRowsFor,
  callerFor,
  createWorld,
  expectTRPCError,
  makePerson,
  makeUnnamedAdmin,
  personRow,
  type World,
} from './helpers';

interface Hostile {
  label: string;
  input: string;
  /** The rules this input must at least break. */
  rules: UsernameRule[];
}

const hostile: Hostile[] = [
  { label: 'command chaining with ;', input: 'a;rm -rf /', rules: ['whitespace', 'charset'] },
  { label: 'command substitution $()', input: '$(id)', rules: ['charset', 'start_letter'] },
  { label: 'backtick substitution', input: 'abc`id`', rules: ['charset'] },
  { label: 'pipe', input: 'abc|sh', rules: ['charset'] },
  { label: 'background &', input: 'abc&reboot', rules: ['charset'] },
  { label: 'redirect >', input: 'abc>/etc/passwd', rules: ['charset'] },
  { label: 'trailing newline', input: 'alice\n', rules: ['whitespace'] },
  { label: 'embedded newline', input: 'alice\nrm', rules: ['whitespace'] },
  { label: 'NUL byte', input: 'alice\u0000root', rules: ['charset'] },
  { label: 'path traversal ../', input: '../', rules: ['charset', 'start_letter'] },
  { label: 'deep path traversal', input: '../../etc/passwd', rules: ['charset', 'start_letter'] },
  { label: 'dot name', input: 'alice.bob', rules: ['charset'] },
  { label: 'slash in name', input: 'alice/bob', rules: ['charset'] },
  { label: 'Cyrillic а look-alike for admin', input: 'аdmin', rules: ['charset', 'start_letter'] },
  { label: 'Cyrillic look-alikes mid-word', input: 'pаypаl', rules: ['charset'] },
  { label: 'Kelvin sign K (U+212A)', input: '\u212Aelvin', rules: ['charset', 'start_letter'] },
  { label: 'fullwidth letters', input: 'ａｄｍｉｎ', rules: ['charset', 'start_letter'] },
  { label: 'combining acute accent', input: 'admin\u0301', rules: ['charset'] },
  { label: 'precomposed accent', input: 'josé', rules: ['charset'] },
  { label: 'zero-width joiner', input: 'ad\u200Dmin', rules: ['charset'] },
  { label: 'zero-width space', input: 'ad\u200Bmin', rules: ['charset'] },
  { label: 'right-to-left override', input: 'abc\u202Etxt', rules: ['charset'] },
  { label: 'emoji', input: 'rocket🚀', rules: ['charset'] },
  { label: 'SQL tautology', input: "a' OR 1=1 --", rules: ['whitespace', 'charset'] },
  { label: 'SQL statement', input: "x'; DROP TABLE users; --", rules: ['whitespace', 'charset'] },
  { label: 'SQL comment', input: 'admin--', rules: ['end_hyphen', 'double_hyphen'] },
  { label: 'empty', input: '', rules: ['required'] },
  { label: 'spaces only', input: '   ', rules: ['whitespace', 'start_letter'] },
  { label: 'tab and newline only', input: '\t\n', rules: ['too_short', 'whitespace'] },
  { label: 'surrounding spaces', input: ' alice ', rules: ['whitespace', 'start_letter'] },
  { label: 'non-breaking space', input: 'al\u00A0ice', rules: ['whitespace'] },
  { label: 'too short', input: 'ab', rules: ['too_short'] },
  { label: '33 characters', input: `a${'b'.repeat(32)}`, rules: ['too_long'] },
  { label: '200 characters', input: 'a'.repeat(200), rules: ['too_long'] },
  { label: 'leading digit', input: '1alice', rules: ['start_letter'] },
  { label: 'leading hyphen', input: '-alice', rules: ['start_letter'] },
  { label: 'trailing hyphen', input: 'alice-', rules: ['end_hyphen'] },
  { label: 'double hyphen', input: 'al--ice', rules: ['double_hyphen'] },
  { label: 'underscore', input: 'al_ice', rules: ['charset'] },
  { label: 'reserved admin', input: 'admin', rules: ['reserved'] },
  { label: 'reserved in capitals', input: 'ADMIN', rules: ['reserved'] },
  { label: 'reserved login', input: 'login', rules: ['reserved'] },
  { label: 'reserved www', input: 'www', rules: ['reserved'] },
];

/** Longer than the router's 256-character input limit: refused by zod before the domain sees it. */
const oversized: Hostile[] = [
  { label: '10 kB of letters', input: 'a'.repeat(10_240), rules: ['too_long'] },
  {
    label: '10 kB of shell metacharacters',
    input: ';$(id)`|&>'.repeat(1_024),
    rules: ['too_long', 'charset'],
  },
];

describe('usernameProblems and isValidUsername on hostile input', () => {
  it.each([...hostile, ...oversized])('$label: refused with a clear rule and message', ({ input, rules }) => {
    const problems = usernameProblems(input);
    expect(problems.map((p) => p.rule)).toEqual(expect.arrayContaining(rules));
    for (const p of problems) expect(p.message.length).toBeGreaterThan(10);
    expect(isValidUsername(input)).toBe(false);
    expect(isValidUsername(foldUsername(input))).toBe(false);
  });

  it('gives a specific message per rule', () => {
    const messages = Object.fromEntries(
      [...hostile, ...oversized].flatMap((h) => usernameProblems(h.input).map((p) => [p.rule, p.message])),
    );
    expect(messages).toEqual({
      required: 'Choose a username.',
      too_short: 'Use at least 3 characters.',
      too_long: 'Use at most 32 characters.',
      whitespace: 'Spaces are not allowed.',
      charset: 'Use only lowercase letters a–z, digits and hyphens (no accents or other scripts).',
      start_letter: 'Start with a letter a–z.',
      end_hyphen: 'Do not end with a hyphen.',
      double_hyphen: 'Use single hyphens only.',
      reserved: expect.stringMatching(/^“[a-z]+” is reserved\. Pick another name\.$/),
    });
  });

  it('folds only ASCII capitals, never a look-alike into ASCII', () => {
    expect(foldUsername('Alice-42')).toBe('alice-42');
    expect(foldUsername('\u212Aelvin')).toBe('\u212Aelvin');
    expect(foldUsername('İstanbul')).toBe('İstanbul');
    expect(usernameProblems('Alice-42')).toEqual([]);
  });

  it('accepts ordinary names at both length limits', () => {
    for (const name of ['abc', 'a-b', 'ada-lovelace', 'x9', `a${'b'.repeat(31)}`, 'agent-smith']) {
      const valid = name.length >= 3;
      expect(usernameProblems(name).length === 0, name).toBe(valid);
      expect(isValidUsername(name), name).toBe(valid);
    }
  });

  it('reserves the names the issue lists', () => {
    for (const name of ['login', 'admin', 'api', 'www', 'agent', 'public', 'mail', 'root', 'support']) {
      expect(RESERVED_USERNAMES.has(name), name).toBe(true);
      expect(isValidUsername(name), name).toBe(false);
    }
  });
});

/** mulberry32: a tiny seeded PRNG, so the property runs are the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const legal = [...'abcdefghijklmnopqrstuvwxyz0123456789-'];
/** Everything that must never get through, plus ASCII capitals (folded, so allowed by usernameProblems). */
const intruders = [
  ...'ABCXYZ',
  ...' \t\n\r\u0000\u00A0\u200B\u200D\u202E\uFEFF',
  ...';$`|&><()\'"\\/.*?_~!#%=+,:',
  'а',
  'е',
  'ο',
  '\u212A',
  'ａ',
  '\u0301',
  'é',
  'ß',
  'İ',
  '🚀',
];
const validShape = /^[a-z][a-z0-9-]{2,31}$/;

describe('username properties (seeded random strings)', () => {
  const random = prng(0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const samples: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    // A name from the legal alphabet (often valid), and half the time one to three intruders spliced in,
    // so the samples crowd the boundary between valid and invalid.
    const chars = Array.from({ length: Math.floor(random() * 36) }, () => pick(legal));
    if (random() < 0.5) {
      const splices = 1 + Math.floor(random() * 3);
      for (let k = 0; k < splices; k++)
        chars.splice(Math.floor(random() * (chars.length + 1)), 0, pick(intruders));
    }
    samples.push(chars.join(''));
  }
  // Reserved names with one character changed, to probe the edges of the reserved list.
  for (const name of RESERVED_USERNAMES) samples.push(name, `${name}1`, `${name}-`, name.toUpperCase());

  it('accepts only strings of the allowed shape that are not reserved', () => {
    let accepted = 0;
    for (const s of samples) {
      if (!isValidUsername(s)) continue;
      accepted += 1;
      expect(s).toMatch(validShape);
      expect(s).not.toContain('--');
      expect(s.endsWith('-')).toBe(false);
      expect(RESERVED_USERNAMES.has(s)).toBe(false);
    }
    // The property is only meaningful if the generator produced valid names too.
    expect(accepted).toBeGreaterThan(500);
  });

  it('agrees with usernameProblems: no problems exactly when the folded name is valid', () => {
    for (const s of samples) {
      expect(usernameProblems(s).length === 0, JSON.stringify(s)).toBe(isValidUsername(foldUsername(s)));
    }
  });
});

describe('completeOnboarding with hostile usernames', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.cleanup());

  it.each(hostile)('$label: BAD_REQUEST naming the rule, and nothing written', async ({ input }) => {
    const person = await makePerson(world.db, 'onboarding');
    const rowBefore = await personRow(world.db, person.id);
    const auditBefore = await auditCount(world.db);
    const error = await expectTRPCError(
      callerFor(world.db, person).user.completeOnboarding({ username: input }),
      'BAD_REQUEST',
    );
    const first = usernameProblems(input)[0];
    expect(error.message).toBe(first?.message);
    expect(error.cause).toMatchObject({ details: { rule: first?.rule } });
    expect(await personRow(world.db, person.id)).toEqual(rowBefore);
    expect(await auditCount(world.db)).toBe(auditBefore);
  });

  it.each(oversized)('$label: refused by input validation, and nothing written', async ({ input }) => {
    const person = await makePerson(world.db, 'onboarding');
    const rowBefore = await personRow(world.db, person.id);
    const auditBefore = await auditCount(world.db);
    await expectTRPCError(
      callerFor(world.db, person).user.completeOnboarding({ username: input }),
      'BAD_REQUEST',
    );
    await expectTRPCError(callerFor(world.db, person).user.checkUsername({ username: input }), 'BAD_REQUEST');
    expect(await personRow(world.db, person.id)).toEqual(rowBefore);
    expect(await auditCount(world.db)).toBe(auditBefore);
  });

  it('refuses a hostile name from an unnamed admin too, who would otherwise get an agent at once', async () => {
    const admin = await makeUnnamedAdmin(world.db);
    const rowBefore = await personRow(world.db, admin.id);
    await expectTRPCError(
      callerFor(world.db, admin).user.completeOnboarding({ username: 'x;reboot' }),
      'BAD_REQUEST',
    );
    expect(await personRow(world.db, admin.id)).toEqual(rowBefore);
    expect(await agentRowByPerson(world.db, admin.id)).toBeUndefined();
    expect(await auditRowsFor(world.db, admin.id)).toHaveLength(1); // signed_up only
  });

  it('stores a name typed in capitals in lowercase', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const result = await callerFor(world.db, person).user.completeOnboarding({ username: 'Grace-Hopper' });
    expect(result).toEqual({ status: 'pending', username: 'grace-hopper' });
  });
});

describe('checkUsername', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.cleanup());

  it('says a free name is available', async () => {
    const person = await makePerson(world.db, 'onboarding');
    expect(await callerFor(world.db, person).user.checkUsername({ username: 'Free-Bird' })).toEqual({
      username: 'free-bird',
      available: true,
      problems: [],
      suggestions: [],
    });
  });

  it('names every broken rule and offers no suggestions for an invalid name', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const result = await callerFor(world.db, person).user.checkUsername({ username: '-Ab--' });
    expect(result.available).toBe(false);
    expect(result.problems.map((p) => p.rule)).toEqual(['start_letter', 'end_hyphen', 'double_hyphen']);
    expect(result.suggestions).toEqual([]);
  });

  it('says a reserved name is reserved', async () => {
    const person = await makePerson(world.db, 'onboarding');
    const result = await callerFor(world.db, person).user.checkUsername({ username: 'Support' });
    expect(result).toMatchObject({ available: false, problems: [{ rule: 'reserved' }] });
  });

  it('says a name taken in any letter case is taken and suggests free, valid alternatives', async () => {
    await makePerson(world.db, 'pending', { username: 'popular' });
    await makePerson(world.db, 'pending', { username: 'popular2' });
    const person = await makePerson(world.db, 'onboarding');
    const result = await callerFor(world.db, person).user.checkUsername({ username: 'POPULAR' });
    expect(result).toEqual({
      username: 'popular',
      available: false,
      problems: [{ rule: 'taken', message: 'That username is taken.' }],
      suggestions: ['popular3', 'popular4', 'popular5'],
    });
    for (const s of result.suggestions) {
      expect(isValidUsername(s)).toBe(true);
      const check = await callerFor(world.db, person).user.checkUsername({ username: s });
      expect(check.available).toBe(true);
    }
  });

  it('keeps suggestions for a 32-character name within the length limit', async () => {
    const long = `l${'o'.repeat(30)}g`;
    await makePerson(world.db, 'pending', { username: long });
    const person = await makePerson(world.db, 'onboarding');
    const result = await callerFor(world.db, person).user.checkUsername({ username: long });
    expect(result.available).toBe(false);
    expect(result.suggestions.length).toBeGreaterThan(0);
    for (const s of result.suggestions) expect(isValidUsername(s), s).toBe(true);
  });

  it("counts the caller's own name as available to them", async () => {
    const admin = await makePerson(world.db, 'admin', { username: 'my-own-name' });
    const result = await callerFor(world.db, admin).user.checkUsername({ username: 'my-own-name' });
    expect(result.available).toBe(true);
  });
});
