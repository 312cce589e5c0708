/** The links the worker writes into mails and identity attributes, in both hostname modes (docs/ARCHITECTURE.md, "Hostnames"). */
import { describe, expect, it } from 'vitest';
import { agentUrlFor, dashboardUrlFor, portalUrlFor } from '../src/env';

describe('links in mails', () => {
  it('point at the person’s own host and login.DOMAIN in subdomain mode', () => {
    const env = { DOMAIN: 'example.com', PORTAL_URL: 'http://localhost:3000' };
    expect(agentUrlFor(env, 'ada')).toBe('https://ada.example.com/agent');
    expect(dashboardUrlFor(env, 'ada')).toBe('https://ada.example.com/');
    expect(portalUrlFor(env)).toBe('https://login.example.com');
  });

  it('point at the one origin in local mode, whatever trailing slashes PORTAL_URL has', () => {
    const env = { DOMAIN: undefined, PORTAL_URL: 'http://localhost:3000//' };
    expect(agentUrlFor(env, 'ada')).toBe('http://localhost:3000/agent');
    expect(dashboardUrlFor(env, 'ada')).toBe('http://localhost:3000/');
    expect(portalUrlFor(env)).toBe('http://localhost:3000');
  });
});
