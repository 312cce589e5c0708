/**
 * What a client sees when a call fails over HTTP: the error formatter adds the request id, zod field
 * errors and AppError details, and hides the message of internal errors.
 */

import type { Person } from '@pocket-smyth/core';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/root';
import { contextFor, createWorld, makePerson, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

interface ErrorBody {
  error: {
    message: string;
    code: number;
    data: {
      code: string;
      httpStatus: number;
      path: string;
      requestId: string | null;
      fieldErrors: Record<string, string[]> | null;
      details: Record<string, unknown> | null;
    };
  };
}

/** One mutation over the fetch adapter, as the web app's /api/trpc route would serve it. */
async function post(person: Person | null, path: string, input: unknown, requestId: string) {
  const response = await fetchRequestHandler({
    endpoint: '/api/trpc',
    router: appRouter,
    req: new Request(`http://localhost/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }),
    createContext: () => contextFor(world.db, person, { requestId }),
    onError: () => {},
  });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe('error shape over HTTP', () => {
  it('maps a domain CONFLICT to 409 with its message, details and the request id', async () => {
    const pending = await makePerson(world.db, 'pending');
    const { status, body } = await post(pending, 'user.completeOnboarding', { username: 'again' }, 'req-409');
    expect(status).toBe(409);
    expect(body.error.message).toBe('You have already finished onboarding (your account is pending).');
    expect(body.error.data).toMatchObject({
      code: 'CONFLICT',
      httpStatus: 409,
      path: 'user.completeOnboarding',
      requestId: 'req-409',
      details: { status: 'pending' },
      fieldErrors: null,
    });
  });

  it('maps a broken username rule to 400 with the rule in details', async () => {
    const onboarding = await makePerson(world.db, 'onboarding');
    const { status, body } = await post(
      onboarding,
      'user.completeOnboarding',
      { username: '$(id)' },
      'req-400',
    );
    expect(status).toBe(400);
    expect(body.error.data).toMatchObject({ code: 'BAD_REQUEST', details: { rule: 'charset' } });
  });

  it('lists zod field errors for bad input', async () => {
    const onboarding = await makePerson(world.db, 'onboarding');
    const { status, body } = await post(
      onboarding,
      'user.completeOnboarding',
      { username: 'x'.repeat(300) },
      'req-zod',
    );
    expect(status).toBe(400);
    expect(body.error.data.fieldErrors).toEqual({ username: [expect.any(String)] });
  });

  it('answers 401 and 403 from the procedure builders', async () => {
    expect((await post(null, 'user.updatePreferences', {}, 'req-401')).status).toBe(401);
    const active = await makePerson(world.db, 'active');
    expect((await post(active, 'admin.users.approve', { ids: ['x'] }, 'req-403')).status).toBe(403);
  });

  it('hides the message of an internal error but keeps the request id', async () => {
    const pending = await makePerson(world.db, 'pending');
    await world.handle.client.execute(
      `CREATE TRIGGER audit_unavailable BEFORE INSERT ON audit_events
       BEGIN SELECT RAISE(ABORT, 'secret internal detail'); END`,
    );
    try {
      const { status, body } = await post(
        world.founder,
        'admin.users.approve',
        { ids: [pending.id] },
        'req-500',
      );
      expect(status).toBe(500);
      expect(body.error.message).toBe('Something went wrong on our side.');
      expect(JSON.stringify(body)).not.toContain('secret internal detail');
      expect(body.error.data.requestId).toBe('req-500');
    } finally {
      await world.handle.client.execute('DROP TRIGGER audit_unavailable');
    }
  });
});
