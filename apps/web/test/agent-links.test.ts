import { describe, expect, it } from 'vitest';
import { agentLinksFor, portalViewFor } from '../src/server/agent-links';

describe('agentLinksFor', () => {
  it('keeps the scheme and port the portal runs on in subdomain mode', () => {
    expect(agentLinksFor('ada', 'http://login.example.test:3000', { domain: 'example.test' })).toEqual({
      launch: 'http://ada.example.test:3000/agent/',
      public: 'http://ada.example.test:3000/agent/public/',
    });
  });

  it('takes AUTH_URL’s scheme and port over the page’s when it is set', () => {
    const links = agentLinksFor('ada', 'http://web:3000', {
      domain: 'example.com',
      authUrl: 'https://login.example.com',
    });
    expect(links.launch).toBe('https://ada.example.com/agent/');
  });

  it('stays on the one origin in local mode', () => {
    expect(agentLinksFor('ada', 'http://localhost:3917', {})).toEqual({
      launch: 'http://localhost:3917/agent/',
      public: 'http://localhost:3917/u/ada/agent/public/',
    });
  });
});

describe('portalViewFor', () => {
  it('is /u/{username} on a single origin', () => {
    expect(portalViewFor('ada', 'http://localhost:3917', {})).toBe('/u/ada');
  });

  it('is the person’s own host in subdomain mode, on the portal’s scheme and port', () => {
    expect(portalViewFor('ada', 'http://bob.example.test:3000', { domain: 'example.test' })).toBe(
      'http://ada.example.test:3000/',
    );
    expect(
      portalViewFor('ada', 'http://web:3000', {
        domain: 'example.com',
        authUrl: 'https://login.example.com',
      }),
    ).toBe('https://ada.example.com/');
  });
});
