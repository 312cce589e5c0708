import { describe, expect, it } from 'vitest';
import { type PlacementHost, pickHost } from '../src/index';

const host = (id: string, capacity: number, status: PlacementHost['status'] = 'active'): PlacementHost => ({
  id,
  capacity,
  status,
});

describe('pickHost', () => {
  it('picks the active host with the most free capacity', () => {
    const hosts = [host('a', 10), host('b', 20), host('c', 15)];
    expect(pickHost(hosts, { a: 1, b: 12, c: 2 })?.id).toBe('c');
    expect(pickHost(hosts, new Map([['b', 0]]))?.id).toBe('b');
  });

  it('never picks a draining host, however empty', () => {
    expect(pickHost([host('a', 100, 'draining'), host('b', 2)], { b: 1 })?.id).toBe('b');
  });

  it('returns null when no active host has room', () => {
    expect(pickHost([host('a', 2), host('b', 5, 'draining')], { a: 2 })).toBeNull();
    expect(pickHost([host('a', 1)], { a: 3 })).toBeNull();
    expect(pickHost([], {})).toBeNull();
  });

  it('breaks ties by list order', () => {
    expect(pickHost([host('x', 5), host('y', 5)], {})?.id).toBe('x');
  });
});
