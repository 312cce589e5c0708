import { describe, expect, it } from 'vitest';
import { noAgentWords } from '../src/app/admin/people/[id]/no-agent-words';

describe('noAgentWords', () => {
  it('says "not approved yet" only to people still waiting', () => {
    expect(noAgentWords('pending')).toBe('No agent (not approved yet).');
    expect(noAgentWords('rejected')).toBe('No agent (request not approved).');
    expect(noAgentWords('active')).toBe('No agent.');
    expect(noAgentWords('revoked')).toBe('No agent.');
  });
});
