/**
 * Who reaches `{username}.DOMAIN/agent/*`: the owner, anyone on `/agent/public/*` while the public
 * toggle is on, and nobody else (admins included). The path check must not be fooled by any spelling
 * of `..` or `/` that a server further along could read differently.
 */
import { describe, expect, it } from 'vitest';
import {
  type AgentAccessInput,
  type AgentAccessViewer,
  decideAgentAccess,
  isPublicAgentPath,
  normalizeAgentPath,
} from '../src/agent-access';

const alice: AgentAccessViewer = { id: 'u-alice', username: 'alice', role: 'user', status: 'active' };
const bob: AgentAccessViewer = { id: 'u-bob', username: 'bob', role: 'user', status: 'active' };
const admin: AgentAccessViewer = { id: 'u-admin', username: 'root', role: 'admin', status: 'active' };

function decide(overrides: Partial<AgentAccessInput>) {
  return decideAgentAccess({
    viewer: alice,
    agentOwnerUsername: 'alice',
    path: '/agent/',
    publicUrlEnabled: false,
    ownerStatus: 'active',
    ...overrides,
  });
}

describe('decideAgentAccess', () => {
  it('lets the active owner in anywhere under /agent', () => {
    for (const path of ['/agent', '/agent/', '/agent/chat?x=1', '/agent/public/x', '/agent/../agent/x']) {
      expect(decide({ path })).toEqual({ status: 200, reason: 'owner' });
    }
  });

  it('matches the owner case-insensitively (hostnames are)', () => {
    expect(decide({ agentOwnerUsername: 'Alice' }).status).toBe(200);
  });

  it('answers 401 to nobody signed in and 403 to another person', () => {
    expect(decide({ viewer: null })).toEqual({ status: 401, reason: 'signed_out' });
    expect(decide({ viewer: bob })).toEqual({ status: 403, reason: 'not_owner' });
  });

  it('refuses admins: they may view a portal read-only, never use the agent', () => {
    expect(decide({ viewer: admin })).toEqual({ status: 403, reason: 'not_owner' });
    expect(decide({ viewer: admin, path: '/agent/public/x' }).status).toBe(403);
  });

  it('opens /agent/public/* to anyone while the toggle is on, and only then', () => {
    for (const viewer of [null, bob, admin, alice]) {
      expect(decide({ viewer, path: '/agent/public/x', publicUrlEnabled: true }).status).toBe(200);
      expect(decide({ viewer, path: '/agent/public', publicUrlEnabled: true }).status).toBe(200);
    }
    expect(decide({ viewer: null, path: '/agent/public/x', publicUrlEnabled: false }).status).toBe(401);
    expect(decide({ viewer: bob, path: '/agent/public/x', publicUrlEnabled: false }).status).toBe(403);
    // Only the public subtree: the rest of the agent stays private.
    expect(decide({ viewer: null, path: '/agent/secret', publicUrlEnabled: true }).status).toBe(401);
    expect(decide({ viewer: bob, path: '/agent/publicity', publicUrlEnabled: true }).status).toBe(403);
  });

  it('closes everything when the owner is not active (revoked, pending, …)', () => {
    for (const ownerStatus of ['revoked', 'pending', 'rejected', 'onboarding'] as const) {
      expect(decide({ ownerStatus })).toEqual({ status: 403, reason: 'owner_inactive' });
      expect(
        decide({ ownerStatus, viewer: null, path: '/agent/public/x', publicUrlEnabled: true }).status,
      ).toBe(401);
      expect(
        decide({ ownerStatus, viewer: bob, path: '/agent/public/x', publicUrlEnabled: true }).status,
      ).toBe(403);
    }
  });

  it('refuses an owner whose own account is no longer active', () => {
    expect(decide({ viewer: { ...alice, status: 'revoked' } })).toEqual({
      status: 403,
      reason: 'viewer_inactive',
    });
  });

  it('never treats a traversal out of /agent/public as public', () => {
    const sneaky = [
      '/agent/public/../secret',
      '/agent/public/%2e%2e/secret',
      '/agent/public/%2E%2E/secret',
      '/agent/public/.%2e/secret',
      '/agent/public/%252e%252e/secret',
      '/agent/public%2f..%2fsecret',
      '/agent/public%2F..%2Fsecret',
      '/agent/public/..%2fsecret',
      '/agent/public/..%5csecret',
      '/agent/public/..\\secret',
      '/agent/public\\..\\secret',
      '/agent/public/./../secret',
      '//agent/public/x',
      '/agent//public/x',
      '/agent/public//x',
      '/agent/secret/../public/x',
      '/agent/secret%2f..%2f..%2fagent/public/x',
      '/agent/public/%2e/x',
      '/agent/public/x%00',
      '/agent/public/%zz',
      'agent/public/x',
      '/AGENT/PUBLIC/x',
      '/agent/public%00/x',
    ];
    for (const path of sneaky) {
      expect(isPublicAgentPath(path), path).toBe(false);
      expect(decide({ viewer: null, path, publicUrlEnabled: true }).status, path).toBe(401);
      expect(decide({ viewer: bob, path, publicUrlEnabled: true }).status, path).toBe(403);
    }
  });

  it('accepts plain public paths with queries and ordinary encoding', () => {
    for (const path of [
      '/agent/public/',
      '/agent/public/a/b.html',
      '/agent/public/x?next=../secret',
      '/agent/public/a%20b',
    ]) {
      expect(isPublicAgentPath(path), path).toBe(true);
    }
  });
});

describe('normalizeAgentPath', () => {
  it('resolves dot segments, encodings and double slashes', () => {
    expect(normalizeAgentPath('/agent/public/../secret')).toEqual({
      path: '/agent/secret',
      canonical: false,
    });
    expect(normalizeAgentPath('/agent/public/%2e%2e/secret')).toEqual({
      path: '/agent/secret',
      canonical: false,
    });
    expect(normalizeAgentPath('/agent//x/./y')).toEqual({ path: '/agent/x/y', canonical: false });
    expect(normalizeAgentPath('/agent/a%2fb')).toEqual({ path: '/agent/a/b', canonical: false });
    expect(normalizeAgentPath('/agent/x?y=1')).toEqual({ path: '/agent/x', canonical: true });
  });

  it('gives up on what cannot be decoded or climbs above the root', () => {
    expect(normalizeAgentPath('/agent/%E0%A4%A')).toEqual({ path: null, canonical: false });
    expect(normalizeAgentPath('/../etc/passwd')).toEqual({ path: null, canonical: false });
    expect(normalizeAgentPath('/agent/%25252525252e')).toEqual({ path: null, canonical: false });
  });
});
