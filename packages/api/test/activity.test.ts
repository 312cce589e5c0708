/**
 * admin.activity.list (filters, keyset cursor) and admin.activity.export (CSV that is safe to open in a
 * spreadsheet). Event times are pinned with a fake Date, so filters by time are exact and many events
 * share a millisecond, which exercises the cursor's id tie-break.
 */

import type { Person } from '@pocket-smyth/core';
import { csvCell, registerPerson } from '@pocket-smyth/core';
import { auditEvents } from '@pocket-smyth/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callerFor, createWorld, expectTRPCError, makePerson, noAdminEmails, type World } from './helpers';

const T1 = new Date('2020-03-01T10:00:00.000Z');
const T2 = new Date('2020-03-02T10:00:00.000Z');
const T3 = new Date('2020-03-03T10:00:00.000Z');
const T4 = new Date('2020-03-04T10:00:00.000Z');

const hostileEmails = [
  '=hyperlink("http://evil.test","x")@evil.test',
  '+sum(1,2)@evil.test',
  '-cmd@evil.test',
  '@import@evil.test',
];

let world: World;
let applicants: Person[];
beforeAll(async () => {
  world = await createWorld();
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(T1);
    applicants = [];
    for (let i = 0; i < 4; i++) applicants.push(await makePerson(world.db, 'pending'));
    vi.setSystemTime(T2);
    await callerFor(world.db, world.founder, { requestId: 'req-approve' }).admin.users.approve({
      ids: [applicants[0]?.id ?? '', applicants[1]?.id ?? ''],
    });
    vi.setSystemTime(T3);
    await callerFor(world.db, world.founder).admin.users.reject({
      ids: [applicants[2]?.id ?? ''],
      reason: '=cmd|\' /c calc\'!A0, "quoted"',
    });
    vi.setSystemTime(T4);
    for (const email of hostileEmails) await registerPerson(world.db, { email }, noAdminEmails);
  } finally {
    vi.useRealTimers();
  }
});
afterAll(() => world.cleanup());

const activity = () => callerFor(world.db, world.founder).admin.activity;

type ListInput = Parameters<ReturnType<typeof activity>['list']>[0];

/** An event as the API gives it: `at` is an ISO string. */
type ActivityEvent = Awaited<ReturnType<ReturnType<typeof activity>['list']>>['items'][number];

async function listAll(input: ListInput): Promise<ActivityEvent[][]> {
  const pages: ActivityEvent[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await activity().list({ ...input, cursor });
    pages.push(page.items);
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

const newestFirst = (a: { id: string; at: Date | string }, b: { id: string; at: Date | string }) =>
  new Date(b.at).getTime() - new Date(a.at).getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe('admin.activity.list', () => {
  it('filters by action', async () => {
    const { items } = await activity().list({ action: 'person.approved' });
    expect(items.map((e) => e.targetId).sort()).toEqual([applicants[0]?.id, applicants[1]?.id].sort());
    expect(items.every((e) => e.requestId === 'req-approve' && e.at === T2.toISOString())).toBe(true);
  });

  it('filters by an action prefix, taking % and _ as plain text', async () => {
    const { items } = await activity().list({ action: 'person', limit: 100 });
    expect(items).toHaveLength(await world.db.$count(auditEvents)); // every event here is about a person
    expect(new Set(items.map((e) => e.action))).toEqual(
      new Set(['person.signed_up', 'person.onboarded', 'person.approved', 'person.rejected']),
    );
    const { items: decided } = await activity().list({ action: 'person.re', limit: 100 });
    expect(decided.map((e) => e.action)).toEqual(['person.rejected']);
    for (const action of ['%', 'person%', '%approved', 'person_approved', 'Person', 'approved']) {
      expect((await activity().list({ action })).items, action).toEqual([]);
    }
    expect((await exported({ action: 'person.re' })).rows).toBe(1);
  });

  it('filters by actor kind', async () => {
    const { items } = await activity().list({ actorKind: 'system', limit: 100 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.actorKind === 'system')).toBe(true);
    const { items: people } = await activity().list({ actorKind: 'person', limit: 100 });
    expect(people.every((e) => e.actorKind === 'person')).toBe(true);
    expect(await world.db.$count(auditEvents)).toBe(items.length + people.length);
  });

  it('filters by actor id', async () => {
    const { items } = await activity().list({ actorId: world.founder.id, limit: 100 });
    expect(items.map((e) => e.action).sort()).toEqual([
      'person.approved',
      'person.approved',
      'person.rejected',
      'person.signed_up',
    ]);
  });

  it('filters by target', async () => {
    const target = applicants[2];
    const { items } = await activity().list({ targetKind: 'person', targetId: target?.id, limit: 100 });
    // Sign-up and onboarding share the pinned millisecond T1, so only the rejection's place is fixed.
    expect(items[0]?.action).toBe('person.rejected');
    expect(items.map((e) => e.action).sort()).toEqual([
      'person.onboarded',
      'person.rejected',
      'person.signed_up',
    ]);
    const { items: none } = await activity().list({ targetKind: 'agent', targetId: target?.id });
    expect(none).toEqual([]);
  });

  it('filters by time, both bounds inclusive', async () => {
    const { items } = await activity().list({ from: T2, to: T3, limit: 100 });
    expect(items.map((e) => e.action)).toEqual(['person.rejected', 'person.approved', 'person.approved']);
    const { items: before } = await activity().list({ to: T1, limit: 100 });
    expect(before).toHaveLength(8); // four applicants: signed up and onboarded
    expect(before.every((e) => e.at === T1.toISOString())).toBe(true);
  });

  it('pages newest first over more than two pages without duplicates or gaps, ties included', async () => {
    const pages = await listAll({ limit: 3 });
    expect(pages.length).toBeGreaterThan(2);
    const served = pages.flat();
    expect(new Set(served.map((e) => e.id)).size).toBe(served.length);
    const all = await world.db.select().from(auditEvents);
    expect(served.map((e) => e.id)).toEqual([...all].sort(newestFirst).map((e) => e.id));
  });

  it('pages a filtered log the same way', async () => {
    const pages = await listAll({ to: T1, limit: 3 });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    const served = pages.flat();
    expect(new Set(served.map((e) => e.id)).size).toBe(8);
    expect(served).toEqual([...served].sort(newestFirst));
  });

  it('refuses a cursor it did not make as BAD_REQUEST', async () => {
    const wrongShape = Buffer.from(JSON.stringify({ at: 1 })).toString('base64url');
    for (const cursor of ['garbage', wrongShape]) {
      await expectTRPCError(activity().list({ cursor }), 'BAD_REQUEST');
    }
  });
});

describe('csvCell', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    ['plain', 'plain'],
    [42, '42'],
    [true, 'true'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a=1', 'a=1'],
    [new Date('2020-01-02T03:04:05.006Z'), '2020-01-02T03:04:05.006Z'],
    [{ reason: '=x', n: 1 }, '"{""reason"":""=x"",""n"":1}"'],
  ])('%j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

/** RFC 4180 reader, enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

const header = [
  'at',
  'actor_kind',
  'actor_id',
  'actor_label',
  'action',
  'target_kind',
  'target_id',
  'target_label',
  'before',
  'after',
  'request_id',
  'ip',
];

/** The export's CSV, read to its end as the REST adapter streams it. */
async function exported(filter: Parameters<ReturnType<typeof activity>['export']>[0], who = activity()) {
  const download = await who.export(filter);
  let csv = '';
  for await (const chunk of download.lines) csv += chunk;
  return { csv, rows: csv.split('\r\n').length - 2 };
}

describe('admin.activity.export', () => {
  it('writes a header and one CRLF-terminated row per event, newest first', async () => {
    const result = await exported({});
    const rows = parseCsv(result.csv);
    expect(rows[0]).toEqual(header);
    expect(result.rows).toBe(await world.db.$count(auditEvents));
    expect(rows).toHaveLength(result.rows + 1);
    for (const row of rows) expect(row).toHaveLength(header.length);
  });

  it('applies the same filters as the list', async () => {
    const result = await exported({ action: 'person.approved' });
    const rows = parseCsv(result.csv).slice(1);
    expect(result.rows).toBe(2);
    for (const row of rows) {
      expect(row[0]).toBe(T2.toISOString());
      expect(row.slice(1, 5)).toEqual([
        'person',
        world.founder.id,
        'founder@example.test',
        'person.approved',
      ]);
      expect(JSON.parse(row[8] ?? '')).toEqual({
        status: 'pending',
        role: 'user',
        username: expect.any(String),
        statusReason: null,
      });
      expect(row[10]).toBe('req-approve');
      expect(row[11]).toBe('203.0.113.7');
    }
  });

  it('defuses cells a spreadsheet would run as formulas, keeping the text intact after the apostrophe', async () => {
    const rows = parseCsv((await exported({ action: 'person.signed_up', from: T4, to: T4 })).csv).slice(1);
    const labels = rows.map((r) => r[3]).sort();
    expect(labels).toEqual(hostileEmails.map((e) => `'${e}`).sort());
    for (const row of rows) expect(row[7]).toBe(row[3]); // target label is the same email
    for (const row of rows) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('keeps a reason with quotes and commas in one cell, as JSON', async () => {
    const [row] = parseCsv((await exported({ action: 'person.rejected' })).csv).slice(1);
    expect(JSON.parse(row?.[9] ?? '')).toMatchObject({
      status: 'rejected',
      statusReason: '=cmd|\' /c calc\'!A0, "quoted"',
    });
  });

  it('streams the whole log, page after page, with no row lost or repeated at the seams', async () => {
    const local = await createWorld();
    const total = 5_001; // more than two pages of 2,000, and one row over
    try {
      // Bulk-insert straight into the log: going through the domain thousands of times would take long.
      // Events two by two share a time, so the keyset's tie-break on id is crossed at the page seams.
      await local.handle.client.execute({
        sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
              INSERT INTO audit_events (id, at, actor_kind, action, request_id)
              SELECT printf('bulk-%06d', i), 1000 + i / 2, 'system', 'bulk.test', printf('req-%06d', i) FROM n`,
        args: [total],
      });
      const result = await exported(
        { action: 'bulk.test' },
        callerFor(local.db, local.founder).admin.activity,
      );
      expect(result.rows).toBe(total);
      const rows = parseCsv(result.csv).slice(1);
      // Newest first, and every event exactly once (each has its own request id).
      expect(rows[0]?.[0]).toBe(new Date(1000 + Math.floor(total / 2)).toISOString());
      expect(rows.at(-1)?.[0]).toBe(new Date(1000).toISOString());
      const requestIds = rows.map((row) => row[10]);
      expect(new Set(requestIds).size).toBe(total);
      expect([...requestIds].sort()).toEqual(
        Array.from({ length: total }, (_, i) => `req-${String(i + 1).padStart(6, '0')}`),
      );
    } finally {
      local.cleanup();
    }
  }, 30_000);
});
