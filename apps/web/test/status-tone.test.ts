/**
 * Every status the domain can hold has a tone, so no badge, timeline mark or table cell falls back to
 * "neutral" by accident. The lists are the schema's own (@pocket-smyth/db).
 */
import {
  agentDesiredStates,
  agentObservedStates,
  hostStatuses,
  outboxStatuses,
  personStatuses,
  rolloutAgentStatuses,
  rolloutStatuses,
  runStatuses,
  stepStatuses,
} from '@pocket-smyth/db';
import { describe, expect, it } from 'vitest';
import { statusTones, toneOf } from '../src/components/status-tone';

const domains = {
  'agent desired state': agentDesiredStates,
  'agent observed state': agentObservedStates,
  'run status': runStatuses,
  'step status': stepStatuses,
  'person status': personStatuses,
  'host status': hostStatuses,
  'outbox status': outboxStatuses,
  'rollout status': rolloutStatuses,
  'rollout agent status': rolloutAgentStatuses,
} as const;

describe('status tones', () => {
  for (const [domain, values] of Object.entries(domains)) {
    it(`maps every ${domain} to a tone`, () => {
      for (const value of values) {
        expect(Object.hasOwn(statusTones, value), `${domain} "${value}"`).toBe(true);
        expect(['ok', 'warn', 'danger', 'neutral', 'info']).toContain(statusTones[value]);
      }
    });
  }

  it('gives one word one tone wherever it appears', () => {
    expect(toneOf('failed')).toBe('danger');
    expect(toneOf('running')).toBe('ok');
    expect(toneOf('draining')).toBe('warn');
    expect(toneOf('pending')).toBe('warn');
    expect(toneOf('provisioning')).toBe('info');
  });

  it('treats an unknown word as neutral', () => {
    expect(toneOf('something new')).toBe('neutral');
  });
});
