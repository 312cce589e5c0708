import { describe, expect, it } from 'vitest';
import { agentRefusalFor, agentRefusalResponse } from '../src/server/agent-refusal';

const viewer = (status: 'active' | 'pending' | 'rejected' | 'revoked') => ({
  id: 'v',
  username: 'alice',
  role: 'user' as const,
  status,
});
const facts = (status?: 'active' | 'pending' | 'rejected' | 'revoked') => ({
  owner: null,
  viewer: status ? viewer(status) : null,
  sessionExpiresAt: null,
});

describe('agentRefusalFor', () => {
  it('tells a revoked owner why, never that the agent is someone else’s', () => {
    const r = agentRefusalFor({ status: 403, reason: 'viewer_inactive', facts: facts('revoked') });
    expect(r).toMatchObject({ status: 403, title: 'Your agent is not available' });
    expect(r.message).toContain('Your access was revoked');
    expect(r.next.href).toBe('/');
  });

  it('says pending and rejected in their own words', () => {
    expect(
      agentRefusalFor({ status: 403, reason: 'viewer_inactive', facts: facts('pending') }).message,
    ).toContain('once an admin approves');
    expect(
      agentRefusalFor({ status: 403, reason: 'viewer_inactive', facts: facts('rejected') }).message,
    ).toContain('not approved');
  });

  it('sends the signed-out to sign in, and others to their portal', () => {
    expect(agentRefusalFor({ status: 401, reason: 'signed_out', facts: facts() }).next).toEqual({
      href: '/signin',
      label: 'Sign in',
    });
    expect(agentRefusalFor({ status: 403, reason: 'not_owner', facts: facts('active') }).title).toBe(
      'This agent belongs to someone else',
    );
    expect(agentRefusalFor({ status: 404, reason: 'no_such_agent', facts: facts('active') }).status).toBe(
      404,
    );
  });
});

describe('agentRefusalResponse', () => {
  const refusal = agentRefusalFor({ status: 401, reason: 'signed_out', facts: facts() });

  it('gives a browser a page, and a script plain text', async () => {
    const page = agentRefusalResponse(
      refusal,
      new Request('http://x/agent/', { headers: { accept: 'text/html' } }),
    );
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<a href="/signin"');
    const text = agentRefusalResponse(
      refusal,
      new Request('http://x/agent/api', { headers: { accept: '*/*' } }),
    );
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(await text.text()).toBe(
      'Sign in to use this agent. This agent is private. Sign in, then open it from your dashboard.',
    );
  });
});
