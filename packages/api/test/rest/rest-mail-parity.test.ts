/**
 * The dashboard (`/api/trpc`) and the REST adapter build their request contexts from one set of services
 * (`createContextFactory`), so a change made over REST writes the same mail as the same change made on
 * the dashboard: a rejection, a revocation and a new sign-up's note to the admins. Before the shared
 * factory, REST dropped the mailer and these changes wrote no outbox row at all.
 */
import { registerPerson } from '@pocket-smyth/core';
import { outbox } from '@pocket-smyth/db';
import { createMailer } from '@pocket-smyth/email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextFactory, type RequestServices } from '../../src/context';
import { createCaller } from '../../src/root';
import { createWorld, makePerson, nextSeq, noAdminEmails, recordingEnqueue, type World } from '../helpers';
import { call, restFor, scopesOf, tokenFor } from './rest-helpers';

let world: World;
let services: RequestServices;
let jobs: ReturnType<typeof recordingEnqueue>;

beforeAll(async () => {
  world = await createWorld();
  jobs = recordingEnqueue();
  services = {
    db: world.db,
    enqueue: jobs.enqueue,
    mailer: createMailer({ db: world.db, from: 'Pocket Smyth <noreply@localhost>', log: () => {} }),
    portalUrl: 'https://login.example.test',
  };
});
afterAll(() => world.cleanup());

const dashboardAs = (person: Parameters<typeof sessionOf>[0]) =>
  createCaller(createContextFactory(services)({ principal: sessionOf(person), headers: new Headers() }));
const sessionOf = (person: World['founder']) => ({ via: 'session' as const, person });

async function mailTo(to: string) {
  return (await world.db.select().from(outbox)).filter((m) => m.to === to);
}

/** A mail with what names its addressee taken out, so two people's mails can be compared. */
function shapeOf(mail: { kind: string; subject: string; text: string }, ...names: string[]) {
  const blank = (s: string) => names.reduce((out, name) => out.replaceAll(name, '<person>'), s);
  return { kind: mail.kind, subject: blank(mail.subject), text: blank(mail.text) };
}

/** The mail.send jobs enqueued for these outbox rows. */
function sendJobsFor(rows: { id: string }[]) {
  return jobs.calls.flat().filter((job) => rows.some((row) => job.key === `mail:${row.id}`));
}

describe('REST writes the same mail as the dashboard', () => {
  it('rejecting a person', async () => {
    const [onDashboard, overRest] = [
      await makePerson(world.db, 'pending'),
      await makePerson(world.db, 'pending'),
    ];
    await dashboardAs(world.founder).admin.users.reject({
      ids: [onDashboard.id],
      reason: 'Not this cohort.',
    });
    const token = await tokenFor(world.db, world.founder, scopesOf('admin'));
    const res = await call(restFor(world.db, services), 'POST', `/users/${overRest.id}/reject`, {
      token,
      body: { reason: 'Not this cohort.' },
    });
    expect(res.status).toBe(200);

    const [dashboardMail, restMail] = [await mailTo(onDashboard.email), await mailTo(overRest.email)];
    expect(restMail).toHaveLength(1);
    expect(restMail.map((m) => shapeOf(m, overRest.username!, overRest.email))).toEqual(
      dashboardMail.map((m) => shapeOf(m, onDashboard.username!, onDashboard.email)),
    );
    expect(restMail[0]).toMatchObject({ kind: 'rejected' });
    expect(restMail[0]?.text).toContain('Not this cohort.');
    expect(sendJobsFor(restMail)).toEqual([
      { name: 'mail.send', payload: { outboxId: restMail[0]?.id }, key: `mail:${restMail[0]?.id}` },
    ]);
  });

  it('revoking a person', async () => {
    const [onDashboard, overRest] = [
      await makePerson(world.db, 'active'),
      await makePerson(world.db, 'active'),
    ];
    await dashboardAs(world.founder).admin.users.revoke({ id: onDashboard.id, reason: 'Misuse.' });
    const token = await tokenFor(world.db, world.founder, scopesOf('admin'));
    const res = await call(restFor(world.db, services), 'POST', `/users/${overRest.id}/revoke`, {
      token,
      body: { reason: 'Misuse.' },
    });
    expect(res.status).toBe(200);

    const [dashboardMail, restMail] = [await mailTo(onDashboard.email), await mailTo(overRest.email)];
    expect(restMail.map((m) => m.kind)).toContain('revoked');
    expect(restMail.map((m) => shapeOf(m, overRest.username!, overRest.email))).toEqual(
      dashboardMail.map((m) => shapeOf(m, onDashboard.username!, onDashboard.email)),
    );
    expect(sendJobsFor(restMail)).toHaveLength(restMail.length);
  });

  it('finishing onboarding notes every active admin', async () => {
    const n = nextSeq();
    const [onDashboard, overRest] = await Promise.all(
      ['dash', 'rest'].map((how) =>
        registerPerson(world.db, { email: `${how}-${n}@example.test` }, noAdminEmails),
      ),
    );
    await dashboardAs(onDashboard!).user.completeOnboarding({ username: `dash-${n}` });
    // An onboarding person has no token yet: the REST call is authenticated by the browser session.
    const rest = restFor(world.db, { ...services, resolveSession: async () => overRest! });
    // Sent by the portal's own page, as the browser would say (request-origin.ts).
    const res = await call(rest, 'POST', '/me/onboarding', {
      body: { username: `rest-${n}` },
      headers: { origin: 'http://localhost' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'pending', username: `rest-${n}` });

    const notes = (await mailTo(world.founder.email)).filter((m) => m.kind === 'admin_new_signup');
    const dashboardNote = notes.find((m) => m.text.includes(`dash-${n}`));
    const restNote = notes.find((m) => m.text.includes(`rest-${n}`));
    expect(restNote, 'the admin is told of the REST sign-up').toBeDefined();
    expect(shapeOf(restNote!, `rest-${n}`)).toEqual(shapeOf(dashboardNote!, `dash-${n}`));
    expect(restNote?.text).toContain('https://login.example.test/admin/approvals');
    expect(sendJobsFor([restNote!])).toHaveLength(1);
  });
});
