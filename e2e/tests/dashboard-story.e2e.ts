/**
 * The person's dashboard tells one story, in words, without errors: the agent card and the timeline
 * change together; a failed run reads as a reason the person can understand (the raw detail is the
 * admins'), and the page hydrates without a console error or warning; memory reads "—" until the first
 * sample after a restart. No worker runs here: runs, states and samples are written as the worker leaves
 * them, straight into the app's libSQL file.
 */
import path from 'node:path';
import { type Client, createClient, type InStatement } from '@libsql/client';
import { timeOrderedId } from '@pocket-smyth/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, startApp } from '../src/app-server';
import { launchBrowser, screenshot, signInWithMagicLink } from '../src/browser';

let app: AppServer;
let browser: Browser;
let db: Client;
let admin: BrowserContext;
let person: BrowserContext;
let personId = '';

/** The self-hoster's setup: a browser in UTC, which onboarding stored as the chosen zone. */
const utc = { timezoneId: 'UTC' } as const;

async function onboard(context: BrowserContext, email: string, username: string): Promise<void> {
  const page = await context.newPage();
  await signInWithMagicLink(page, app.baseUrl, email, app.magicLinkFor);
  await page.waitForURL('**/onboarding');
  const done = await context.request.post(`${app.baseUrl}/api/me/onboarding`, {
    data: { username, preferences: { timeZone: 'UTC' } },
    headers: { origin: app.baseUrl },
  });
  expect(done.status()).toBe(200);
  await page.close();
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  db = createClient({ url: `file:${path.join(app.dataDir, 'app.db')}` });
  admin = await browser.newContext(utc);
  await onboard(admin, 'story-admin@example.com', 'storyadmin');
  person = await browser.newContext(utc);
  await onboard(person, 'story-person@example.com', 'storyperson');
  const pending = await admin.request.get(`${app.baseUrl}/api/users?status=pending`);
  personId = ((await pending.json()) as { items: { id: string }[] }).items[0]!.id;
  const approved = await admin.request.post(`${app.baseUrl}/api/users/${personId}/approve`, {
    headers: { origin: app.baseUrl },
  });
  expect(approved.status()).toBe(200);
});

afterAll(async () => {
  db?.close();
  await admin?.close();
  await person?.close();
  await browser?.close();
  await app?.stop();
});

async function agentIdOf(username: string): Promise<string> {
  const rs = await db.execute({
    sql: 'select agents.id from agents join users on users.id = agents.user_id where users.username = ?',
    args: [username],
  });
  return String(rs.rows[0]!.id);
}

type StepRow = [
  name: string,
  status: string,
  errorClass: string | null,
  message: string | null,
  tail: string,
];

/** A run of `username`'s agent with its steps, as statements for one transaction. */
function runStatements(
  runId: string,
  agentId: string,
  username: string,
  run: { kind: string; status: string; errorClass?: string; errorMessage?: string; at: number },
  steps: StepRow[],
): InStatement[] {
  const ended = run.status === 'running' ? null : run.at + 5_000;
  return [
    {
      sql: `insert into runs (id, agent_id, username, kind, status, error_class, error_message, created_at,
              started_at, ended_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        runId,
        agentId,
        username,
        run.kind,
        run.status,
        run.errorClass ?? null,
        run.errorMessage ?? null,
        run.at,
        run.at,
        ended,
        run.at,
      ],
    },
    ...steps.map(([name, status, errorClass, message, tail], position) => ({
      sql: `insert into run_steps (id, run_id, position, name, status, attempts, output_tail, error_class, message,
              started_at, ended_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        `${runId}-${position}`,
        runId,
        position,
        name,
        status,
        status === 'queued' ? 0 : 1,
        tail,
        errorClass,
        message,
        status === 'queued' ? null : run.at + position * 1_000,
        status === 'queued' || status === 'running' ? null : run.at + position * 1_000 + 800,
      ],
    })),
  ];
}

const setObserved = (agentId: string, state: string, at = Date.now()): InStatement => ({
  sql: 'update agents set observed_state = ?, observed_at = ?, updated_at = ? where id = ?',
  args: [state, at, at, agentId],
});

/** Collects every console error and warning, uncaught error and React hydration complaint of `page`. */
function complaintsOf(page: Page): string[] {
  const complaints: string[] = [];
  page.on('pageerror', (error) => complaints.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      complaints.push(`${message.type()}: ${message.text()}`);
    }
  });
  return complaints;
}

/** Until the page has hydrated: the time-zone list is filled in by an effect after mount. */
async function hydrated(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('select[name="timeZone"] option').count(), { timeout: 30_000 })
    .toBeGreaterThan(1);
}

const rawDetail =
  "root@127.0.0.1:1: cannot load the private key: ENOENT: no such file or directory, open '/nonexistent/id_ed25519'";

test('a dashboard with a failed run: words for the person, no console error or hydration warning', async () => {
  const at = Date.now() - 90_000;
  for (const username of ['storyperson', 'storyadmin']) {
    const agentId = await agentIdOf(username);
    await db.batch(
      [
        ...runStatements(
          timeOrderedId(at),
          agentId,
          username,
          {
            kind: 'provision',
            status: 'failed',
            errorClass: 'host_misconfigured',
            errorMessage: rawDetail,
            at,
          },
          [
            ['place on host', 'succeeded', null, null, 'placed on host ssh-one'],
            [
              'run provision script',
              'failed',
              'host_misconfigured',
              rawDetail,
              'connecting to root@127.0.0.1:1',
            ],
            ['wait for health', 'queued', null, null, ''],
            ['update identity provider', 'queued', null, null, ''],
            ['send email', 'queued', null, null, ''],
          ],
        ),
        setObserved(agentId, 'failed', at + 5_000),
      ],
      'write',
    );
  }

  // The person, in UTC as onboarded and in another zone; an admin on their own dashboard.
  const elsewhere = await browser.newContext({
    timezoneId: 'America/New_York',
    storageState: await person.storageState(),
  });
  for (const [label, context] of [
    ['person', person],
    ['person-new-york', elsewhere],
    ['admin-own', admin],
  ] as const) {
    const page = await context.newPage();
    const complaints = complaintsOf(page);
    await page.goto(`${app.baseUrl}/`);
    const timeline = page.getByRole('region', { name: 'Provisioning timeline' });
    await timeline.getByText('The agent’s host is not set up correctly.').first().waitFor();
    await hydrated(page);
    // Whatever React reports after hydration (a mismatch is reported once it has compared the tree).
    await page.waitForTimeout(1_500);
    await screenshot(page, `dashboard-story-failed-${label}`);
    const text = (await timeline.textContent()) ?? '';
    for (const leak of ['127.0.0.1', '/nonexistent', 'ENOENT', 'root@'])
      expect(text, label).not.toContain(leak);
    expect(complaints, `${label}: the browser complained`).toEqual([]);
    await page.close();
  }
  await elsewhere.close();

  // The admin sees the detail on the person's page, where they can fix the host and retry.
  const page = await admin.newPage();
  const complaints = complaintsOf(page);
  await page.goto(`${app.baseUrl}/admin/people/${personId}`);
  await page.getByRole('region', { name: 'Runs' }).getByText(rawDetail).first().waitFor();
  await page.waitForTimeout(1_500);
  expect(complaints, 'admin person page: the browser complained').toEqual([]);
  await page.close();
});

/**
 * Samples the agent card's state and the newest run's status every 20 ms in the page, and returns the
 * longest stretch (ms) in which they disagreed: a succeeded run beside a card that does not say running,
 * or the other way round.
 */
async function startWatching(page: Page): Promise<() => Promise<{ longest: number; samples: number }>> {
  await page.evaluate(`(() => {
    window.__story = [];
    window.__storyTimer = setInterval(() => {
      const card = document.querySelector('[data-testid="agent-observed-state"]');
      const run = document.querySelector('article[data-run-status]');
      window.__story.push([performance.now(), card ? card.textContent.trim() : '', run ? run.getAttribute('data-run-status') : '']);
    }, 20);
  })()`);
  return async () => {
    const samples = (await page.evaluate(
      `(() => { clearInterval(window.__storyTimer); return window.__story; })()`,
    )) as [number, string, string][];
    let longest = 0;
    let since: number | null = null;
    for (const [at, card, run] of samples) {
      const agree = (run === 'succeeded') === (card === 'running');
      if (agree) since = null;
      else {
        since ??= at;
        longest = Math.max(longest, at - since);
      }
    }
    return { longest, samples: samples.length };
  };
}

test('the agent card and the timeline change together: never "provisioning" beside "succeeded"', async () => {
  const agentId = await agentIdOf('storyperson');
  const provisionId = timeOrderedId();
  const provisionSteps = (last: string): StepRow[] => [
    ['place on host', 'succeeded', null, null, ''],
    ['run provision script', 'succeeded', null, null, ''],
    ['wait for health', last, null, null, ''],
    ['update identity provider', last === 'running' ? 'queued' : last, null, null, ''],
    ['send email', last === 'running' ? 'queued' : last, null, null, ''],
  ];
  await db.batch(
    [
      ...runStatements(
        provisionId,
        agentId,
        'storyperson',
        { kind: 'provision', status: 'running', at: Date.now() },
        provisionSteps('running'),
      ),
      setObserved(agentId, 'provisioning'),
    ],
    'write',
  );
  const page = await person.newPage();
  const complaints = complaintsOf(page);
  await page.goto(`${app.baseUrl}/`);
  const card = page.getByTestId('agent-observed-state');
  const newestRun = page.locator('article[data-run-status]').first();
  await expect.poll(() => card.textContent()).toBe('provisioning');
  expect(await newestRun.getAttribute('data-run-status')).toBe('running');
  await hydrated(page);

  // The worker ends the run and sets the agent's state in one transaction.
  const transitions: Array<{ name: string; write: InStatement[]; card: string; run: string }> = [
    {
      name: 'provision succeeded',
      write: [
        {
          sql: `update runs set status = 'succeeded', ended_at = ? where id = ?`,
          args: [Date.now(), provisionId],
        },
        {
          sql: `update run_steps set status = 'succeeded', ended_at = ? where run_id = ? and status != 'succeeded'`,
          args: [Date.now(), provisionId],
        },
        setObserved(agentId, 'running'),
      ],
      card: 'running',
      run: 'succeeded',
    },
  ];
  const restartId = timeOrderedId(Date.now() + 60_000);
  transitions.push(
    {
      name: 'restart started',
      write: [
        ...runStatements(
          restartId,
          agentId,
          'storyperson',
          { kind: 'restart', status: 'running', at: Date.now() + 60_000 },
          [['restart agent', 'running', null, null, '']],
        ),
        setObserved(agentId, 'restarting'),
      ],
      card: 'restarting',
      run: 'running',
    },
    {
      name: 'restart succeeded',
      write: [
        {
          sql: `update runs set status = 'succeeded', ended_at = ? where id = ?`,
          args: [Date.now(), restartId],
        },
        {
          sql: `update run_steps set status = 'succeeded', ended_at = ? where run_id = ?`,
          args: [Date.now(), restartId],
        },
        setObserved(agentId, 'running'),
      ],
      card: 'running',
      run: 'succeeded',
    },
  );
  for (const transition of transitions) {
    const stop = await startWatching(page);
    await db.batch(transition.write, 'write');
    await expect.poll(() => card.textContent(), { timeout: 20_000 }).toBe(transition.card);
    await expect
      .poll(() => newestRun.getAttribute('data-run-status'), { timeout: 20_000 })
      .toBe(transition.run);
    await page.waitForTimeout(300);
    const { longest, samples } = await stop();
    expect(samples).toBeGreaterThan(5);
    // One request brings both; React may paint them a frame apart, never a poll apart.
    expect(
      longest,
      `${transition.name}: card and timeline disagreed for ${Math.round(longest)} ms`,
    ).toBeLessThan(300);
  }
  await screenshot(page, 'dashboard-story-in-step');
  expect(complaints).toEqual([]);
  await page.close();
});

test('memory reads "—", not "0 B", until the first sample after a restart', async () => {
  const agentId = await agentIdOf('storyperson');
  const now = Date.now();
  const MiB = 1024 ** 2;
  // Before the restart, 180 MiB; during it, the host reported 0 B; running again for 5 s, no sample yet.
  const sample = (at: number, state: string, memory: number, cpu: number): InStatement => ({
    sql: `insert into agent_samples (agent_id, at, cpu_percent, memory_bytes, observed_state) values (?, ?, ?, ?, ?)`,
    args: [agentId, at, cpu, memory, state],
  });
  await db.batch(
    [
      sample(now - 45_000, 'running', 180 * MiB, 3),
      sample(now - 30_000, 'running', 185 * MiB, 2),
      sample(now - 15_000, 'stopped', 0, 0),
      setObserved(agentId, 'running', now - 5_000),
    ],
    'write',
  );
  const page = await person.newPage();
  await page.goto(`${app.baseUrl}/`);
  const memory = page.getByRole('img', { name: /^Memory over/ });
  await expect
    .poll(() => memory.getAttribute('aria-label'))
    .toBe('Memory over the last hour: no current value, lowest 180 MB, highest 185 MB');
  expect(await page.locator('figure', { has: memory }).locator('figcaption').textContent()).toBe('Memory—');

  // The first sample of the restarted agent is its reading.
  await db.execute(sample(Date.now(), 'running', 64 * MiB, 1));
  await page.reload();
  await expect
    .poll(() => memory.getAttribute('aria-label'))
    .toBe('Memory over the last hour, now 64 MB, lowest 64 MB, highest 185 MB');
  await page.close();
});
