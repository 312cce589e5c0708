/**
 * Mail a change sends: written to the outbox in the change's own transaction, sent by a mail.send job
 * enqueued after the commit. Uses the real mailer (no provider configured: rows stay `local`).
 */

import type { ChangeDeps } from '@pocket-smyth/core';
import {
  approvePeople,
  completeOnboarding,
  registerPerson,
  rejectPeople,
  restorePerson,
  revokePerson,
} from '@pocket-smyth/core';
import { outbox } from '@pocket-smyth/db';
import { createMailer } from '@pocket-smyth/email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, makePerson, nextSeq, noAdminEmails, recordingEnqueue, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

function depsWithMail() {
  const { enqueue, calls } = recordingEnqueue();
  const mailer = createMailer({ db: world.db, from: 'Pocket Smyth <noreply@localhost>', log: () => {} });
  const deps: ChangeDeps = {
    actor: { kind: 'person', id: world.founder.id, label: world.founder.email, personId: world.founder.id },
    requestId: 'notify-test',
    ip: null,
    enqueue,
    mailer,
    portalUrl: 'https://login.example.test',
  };
  return { deps, calls };
}

async function mailTo(to: string) {
  return (await world.db.select().from(outbox)).filter((m) => m.to === to);
}

describe('mail sent by changes', () => {
  it('a new sign-up notes every active admin, with a link to the approval queue', async () => {
    const secondAdmin = await makePerson(world.db, 'admin');
    const n = nextSeq();
    const registered = await registerPerson(world.db, { email: `signup-${n}@example.test` }, noAdminEmails);
    const { deps, calls } = depsWithMail();
    await completeOnboarding(world.db, deps, registered.id, { username: `signup-${n}` });

    for (const admin of [world.founder, secondAdmin]) {
      const notes = (await mailTo(admin.email)).filter((m) => m.kind === 'admin_new_signup');
      expect(notes.at(-1)?.text).toContain(`signup-${n}`);
      expect(notes.at(-1)?.text).toContain('https://login.example.test/admin/approvals');
    }
    expect(await mailTo(registered.email)).toEqual([]);
    // Besides the mail, the identity provider learns the new status.
    expect(calls.flat().filter((job) => job.name === 'idp.sync')).toEqual([
      { name: 'idp.sync', payload: { personId: registered.id }, key: `idp:${registered.id}` },
    ]);
    const jobs = calls.flat().filter((job) => job.name !== 'idp.sync');
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    for (const job of jobs) {
      expect(job).toMatchObject({
        name: 'mail.send',
        key: `mail:${(job.payload as { outboxId: string }).outboxId}`,
      });
    }
  });

  it('rejection mails the person the reason; the job comes after the commit', async () => {
    const person = await makePerson(world.db, 'pending');
    const { deps, calls } = depsWithMail();
    await rejectPeople(world.db, deps, [person.id], 'We are full this month.');
    const [mail] = await mailTo(person.email);
    expect(mail).toMatchObject({ kind: 'rejected', status: 'local' });
    expect(mail?.text).toContain('We are full this month.');
    expect(calls.flat()).toEqual([
      { name: 'mail.send', payload: { outboxId: mail!.id }, key: `mail:${mail!.id}` },
      { name: 'idp.sync', payload: { personId: person.id }, key: `idp:${person.id}` },
    ]);
  });

  it('revocation mails the person the reason', async () => {
    const person = await makePerson(world.db, 'active');
    const { deps } = depsWithMail();
    await revokePerson(world.db, deps, person.id, 'Abuse of the API.');
    const [mail] = await mailTo(person.email);
    expect(mail).toMatchObject({ kind: 'revoked' });
    expect(mail?.text).toContain('Abuse of the API.');
  });

  it('restoring a revoked person mails them that their access is back', async () => {
    const person = await makePerson(world.db, 'revoked');
    const { deps, calls } = depsWithMail();
    await restorePerson(world.db, deps, person.id);
    const [mail] = await mailTo(person.email);
    expect(mail).toMatchObject({ kind: 'restored', subject: 'Your Pocket Smyth access is back' });
    expect(calls.flat().map((j) => j.name)).toEqual(['agent.reconcile', 'mail.send', 'idp.sync']);
  });

  it('approval sends no mail from the API: the provisioning run sends it with the agent URL', async () => {
    const person = await makePerson(world.db, 'pending');
    const { deps, calls } = depsWithMail();
    await approvePeople(world.db, deps, [person.id]);
    expect(await mailTo(person.email)).toEqual([]);
    expect(calls.flat().map((j) => j.name)).toEqual(['agent.reconcile', 'idp.sync']);
  });

  it('a change refused for its state writes no mail', async () => {
    const person = await makePerson(world.db, 'active');
    const { deps, calls } = depsWithMail();
    const results = await rejectPeople(world.db, deps, [person.id], 'Too late.');
    expect(results[0]).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await mailTo(person.email)).toEqual([]);
    expect(calls).toEqual([]);
  });
});
