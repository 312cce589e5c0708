import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../src/index';

describe('ChannelLimiter', () => {
  it('lets `limit` holders in and queues the rest in arrival order', async () => {
    const limiter = new ChannelLimiter(2);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    const order: string[] = [];
    const third = limiter.acquire().then((release) => {
      order.push('third');
      return release;
    });
    const fourth = limiter.acquire().then((release) => {
      order.push('fourth');
      return release;
    });
    expect(limiter.active).toBe(2);
    expect(limiter.queued).toBe(2);
    first();
    first(); // releasing twice frees one slot only
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect(limiter.active).toBe(0);
  });

  it('drops a waiter whose signal aborts and rejects with the reason', async () => {
    const limiter = new ChannelLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
    expect(limiter.queued).toBe(0);
    held();
    expect(limiter.active).toBe(0);
  });
});
