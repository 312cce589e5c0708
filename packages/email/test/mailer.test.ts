import { outbox } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mail, MailError, type MailerConfig, renderMailOf } from '../src';
import { type FakeResendServer, startFakeResendServer } from './fake-resend-server';

const apiKey = 're_test_0123456789';
const from = 'Pocket Smyth <noreply@pocket.example>';
const approvedMail: Mail = {
  kind: 'approved',
  to: 'ada@example.com',
  data: { name: 'Ada', agentUrl: 'https://ada.pocket.example/agent' },
};

let resendApi: FakeResendServer;
let testDb: Awaited<ReturnType<typeof createTestDb>>;
let logged: string[];

beforeAll(async () => {
  resendApi = await startFakeResendServer();
});
afterAll(() => resendApi.close());
beforeEach(async () => {
  testDb = await createTestDb();
  logged = [];
});
afterEach(() => {
  resendApi.reset();
  testDb.cleanup();
});

function mailer(overrides: Partial<MailerConfig> = {}) {
  return createMailer({
    db: testDb.db,
    resendApiKey: apiKey,
    from,
    resendBaseUrl: resendApi.url,
    log: (line) => logged.push(line),
    ...overrides,
  });
}

async function outboxRow(id: string) {
  const row = await testDb.db.query.outbox.findFirst({ where: eq(outbox.id, id) });
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

async function rejection(promise: Promise<unknown>): Promise<MailError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

describe('createMailer without a provider', () => {
  it('keeps the mail in the outbox as local, logs one line, and makes no network call', async () => {
    const local = mailer({ resendApiKey: null });
    expect(local.configured).toBe(false);

    const result = await local.send(approvedMail);

    expect(result).toEqual({ id: result.id, status: 'local', providerId: null });
    const row = await outboxRow(result.id);
    const rendered = renderMailOf(approvedMail);
    expect(row).toMatchObject({
      kind: 'approved',
      to: 'ada@example.com',
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      status: 'local',
      providerId: null,
      sentAt: null,
    });
    expect(logged).toEqual([`[mail:local] to=ada@example.com subject="You're approved for Pocket Smyth"`]);
    expect(resendApi.received).toEqual([]);
  });

  it('logs the sign-in URL of a magic link so a developer can use it', async () => {
    const url = 'http://localhost:3000/api/auth/callback/email?token=t0k3n&email=dev%40example.com';
    await mailer({ resendApiKey: null }).record({
      kind: 'magic_link',
      to: 'dev@example.com',
      data: { url, expiresInMinutes: 10 },
    });
    expect(logged[0]).toBe(`[mail:local] to=dev@example.com subject="Your Pocket Smyth sign-in link"`);
    // The link in a box of its own, on a line with nothing else but the box's edges.
    const box = logged[1]?.split('\n') ?? [];
    expect(box).toHaveLength(3);
    expect(box[0]).toMatch(/^┌─ Sign-in link for dev@example\.com .*┐$/);
    expect(box[1]).toBe(`│ ${url}${' '.repeat(box[0]!.length - url.length - 3)}│`);
    expect(box[2]).toMatch(/^└─+┘$/);
    expect(new Set(box.map((line) => line.length)).size).toBe(1);
  });
});

describe('createMailer with Resend', () => {
  it('queues the row, sends the exact request, and marks the row sent', async () => {
    const resend = mailer();
    expect(resend.configured).toBe(true);
    const entry = await resend.record(approvedMail);
    expect(entry.status).toBe('queued');
    expect((await outboxRow(entry.id)).status).toBe('queued');
    expect(logged).toEqual([]);

    resendApi.reply({ status: 200, json: { id: 'resend-msg-1' } });
    const before = Date.now();
    const result = await resend.deliver(entry.id);

    expect(result).toEqual({ id: entry.id, status: 'sent', providerId: 'resend-msg-1' });
    const rendered = renderMailOf(approvedMail);
    expect(resendApi.received).toHaveLength(1);
    const [request] = resendApi.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/emails');
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe(entry.id);
    expect(request?.body).toEqual({
      from,
      to: ['ada@example.com'],
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    });
    const row = await outboxRow(entry.id);
    expect(row).toMatchObject({ status: 'sent', providerId: 'resend-msg-1', error: null });
    expect(row.sentAt?.getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it('does not send a row twice once it is sent', async () => {
    const resend = mailer();
    resendApi.reply({ status: 200, json: { id: 'resend-msg-2' } });
    const first = await resend.send(approvedMail);

    const again = await resend.deliver(first.id);

    expect(again).toEqual({ id: first.id, status: 'sent', providerId: 'resend-msg-2' });
    expect(resendApi.received).toHaveLength(1);
  });

  it('fails at once with email_rejected on a 422 and records the failure on the row', async () => {
    const resend = mailer();
    const entry = await resend.record({ ...approvedMail, to: 'not-an-address' });
    resendApi.reply({
      status: 422,
      json: { statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' },
    });

    const error = await rejection(resend.deliver(entry.id));

    expect(error).toMatchObject({
      errorClass: 'email_rejected',
      transient: false,
      status: 422,
      code: 'validation_error',
    });
    expect(error.message).toContain('Invalid `to` field.');
    expect(await outboxRow(entry.id)).toMatchObject({ status: 'failed', error: error.message, sentAt: null });
  });

  it('treats other 4xx (a bad API key) as permanent too', async () => {
    const resend = mailer();
    const entry = await resend.record(approvedMail);
    resendApi.reply({
      status: 403,
      json: { statusCode: 403, name: 'invalid_api_key', message: 'API key is invalid' },
    });

    const error = await rejection(resend.deliver(entry.id));

    expect(error).toMatchObject({ errorClass: 'email_rejected', transient: false, status: 403 });
  });

  it('throws a transient email_unavailable on a 500, keeps the row queued, and a retry sends it once with the same key', async () => {
    const resend = mailer();
    const entry = await resend.record(approvedMail);
    resendApi.reply({
      status: 500,
      json: { statusCode: 500, name: 'internal_server_error', message: 'An unexpected error occurred.' },
    });

    const error = await rejection(resend.deliver(entry.id));

    expect(error).toMatchObject({ errorClass: 'email_unavailable', transient: true, status: 500 });
    expect(await outboxRow(entry.id)).toMatchObject({ status: 'queued', error: error.message, sentAt: null });

    resendApi.reply({ status: 200, json: { id: 'resend-msg-3' } });
    await resend.deliver(entry.id);

    expect(resendApi.received.map((r) => r.headers['idempotency-key'])).toEqual([entry.id, entry.id]);
    expect(await outboxRow(entry.id)).toMatchObject({
      status: 'sent',
      providerId: 'resend-msg-3',
      error: null,
    });
  });

  it('retries on 429', async () => {
    const resend = mailer();
    const entry = await resend.record(approvedMail);
    resendApi.reply({
      status: 429,
      json: { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' },
    });

    const error = await rejection(resend.deliver(entry.id));

    expect(error).toMatchObject({ errorClass: 'email_unavailable', transient: true, status: 429 });
    expect((await outboxRow(entry.id)).status).toBe('queued');
  });

  it('retries when the connection drops before an answer', async () => {
    const resend = mailer();
    const entry = await resend.record(approvedMail);
    resendApi.reply({ dropConnection: true });

    const error = await rejection(resend.deliver(entry.id));

    expect(error).toMatchObject({ errorClass: 'email_unavailable', transient: true, status: null });
    expect(resendApi.received).toHaveLength(1);
    expect((await outboxRow(entry.id)).status).toBe('queued');
  });

  it('sends each admin their own row for a new sign-up', async () => {
    const resend = mailer();
    const admins = ['root@example.com', 'ops@example.com'];
    resendApi.reply({ status: 200, json: { id: 'm-root' } }, { status: 200, json: { id: 'm-ops' } });

    for (const to of admins) {
      await resend.send({
        kind: 'admin_new_signup',
        to,
        data: {
          person: { email: 'new@example.com' },
          approvalQueueUrl: 'https://pocket.example/admin/approvals',
        },
      });
    }

    expect(resendApi.received.map((r) => (r.body as { to: string[] }).to)).toEqual([
      ['root@example.com'],
      ['ops@example.com'],
    ]);
    const rows = await testDb.db.select().from(outbox);
    expect(rows.map((r) => [r.to, r.kind, r.status]).sort()).toEqual([
      ['ops@example.com', 'admin_new_signup', 'sent'],
      ['root@example.com', 'admin_new_signup', 'sent'],
    ]);
  });

  it('writes the row inside the caller transaction, so a rolled-back change leaves no mail', async () => {
    const resend = mailer();
    await testDb.db
      .transaction(async (tx) => {
        await resend.record(approvedMail, { tx });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await testDb.db.select().from(outbox)).toEqual([]);
  });

  it('follows RESEND_BASE_URL from the environment when no base URL is passed', async () => {
    const previous = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = resendApi.url;
    try {
      resendApi.reply({ status: 200, json: { id: 'resend-msg-env' } });
      const result = await mailer({ resendBaseUrl: null }).send(approvedMail);
      expect(result.providerId).toBe('resend-msg-env');
      expect(resendApi.received).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.RESEND_BASE_URL;
      else process.env.RESEND_BASE_URL = previous;
    }
  });

  it('refuses an outbox id that does not exist, permanently', async () => {
    const error = await rejection(mailer().deliver('no-such-row'));
    expect(error).toMatchObject({ errorClass: 'email_rejected', transient: false });
    expect(resendApi.received).toEqual([]);
  });
});
