/**
 * The agent card's CPU and memory "now": a reading only from a sample of the agent running since it
 * last started. After a restart the host reports 0 B (stopped, restarting, or docker without figures
 * yet) for a few seconds: that is no reading, and the card shows "—" until the first real one.
 */
import { describe, expect, it } from 'vitest';
import { currentReading, formatBytes } from '../src/components/format';

const t0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const sample = (seconds: number, observedState: string, memoryBytes: number | null, cpuPercent = 1.5) => ({
  at: at(seconds),
  observedState,
  memoryBytes,
  cpuPercent,
});

describe('currentReading', () => {
  const beforeRestart = [sample(0, 'running', 180 * 1024 ** 2), sample(15, 'running', 190 * 1024 ** 2)];
  // The restart ended at 40 s: the agent is running again since then.
  const restartedAt = at(40);

  it('is null, shown as "—", until the first sample after a restart, not the 0 B of the restart', () => {
    const during = [...beforeRestart, sample(30, 'stopped', 0, 0), sample(45, 'running', 0, 0)];
    expect(currentReading(during, 'memoryBytes', restartedAt)).toBeNull();
    expect(currentReading(during, 'cpuPercent', restartedAt)).toBeNull();
    // The old process's last figures are not the new one's either.
    expect(currentReading(beforeRestart, 'memoryBytes', restartedAt)).toBeNull();
  });

  it('is the newest sample of the agent running since it started', () => {
    const after = [...beforeRestart, sample(30, 'stopped', 0, 0), sample(55, 'running', 64 * 1024 ** 2, 0)];
    expect(currentReading(after, 'memoryBytes', restartedAt)).toBe(64 * 1024 ** 2);
    expect(formatBytes(currentReading(after, 'memoryBytes', restartedAt)!)).toBe('64 MB');
    // An idle agent's 0 % CPU is a reading; 0 B of memory never is.
    expect(currentReading(after, 'cpuPercent', restartedAt)).toBe(0);
    expect(currentReading(beforeRestart, 'memoryBytes', null)).toBe(190 * 1024 ** 2);
  });

  it('is null with no samples, or when the newest one is of a stopped agent', () => {
    expect(currentReading([], 'memoryBytes', null)).toBeNull();
    expect(currentReading([...beforeRestart, sample(30, 'stopped', 0, 0)], 'memoryBytes', null)).toBeNull();
    expect(currentReading([sample(60, 'running', null)], 'memoryBytes', null)).toBeNull();
  });
});
