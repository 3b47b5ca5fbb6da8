import { channelName, globalKey, tenantKey } from './cache-store';
import { createCacheStore } from './cache.module';

// Runs against Redis when REDIS_URL is set (CI), against the memory store otherwise.
const redisUrl = process.env.REDIS_URL ?? null;

describe(`CacheStore (${redisUrl ? 'redis' : 'memory'})`, () => {
  it('keys start with the tenant id', () => {
    expect(tenantKey('t-1', 'prices', 3)).toBe('t:t-1:prices:3');
    expect(globalKey('host', 'a.localhost')).toBe('g:host:a.localhost');
    expect(() => tenantKey('', 'x')).toThrow();
  });

  it('gets, sets, deletes and increments', async () => {
    const store = await createCacheStore({ redisUrl });
    const key = tenantKey(`spec-${process.pid}-${Date.now()}`, 'k');
    try {
      expect(await store.get(key)).toBeNull();
      await store.set(key, 'v', 30);
      expect(await store.get(key)).toBe('v');
      await store.del(key);
      expect(await store.get(key)).toBeNull();
      expect(await store.incr(key)).toBe(1);
      expect(await store.incr(key)).toBe(2);
      await store.del(key);
    } finally {
      await store.close();
    }
  });

  it('reads and writes many keys in one round trip', async () => {
    const store = await createCacheStore({ redisUrl });
    const base = `spec-many-${process.pid}-${Date.now()}`;
    const [a, b, c] = ['a', 'b', 'c'].map((k) => tenantKey(base, k));
    try {
      expect(await store.getMany([])).toEqual([]);
      await store.setMany(
        [
          [a, '1'],
          [c, '3'],
        ],
        30,
      );
      expect(await store.getMany([a, b, c])).toEqual(['1', null, '3']);
    } finally {
      await store.del(a);
      await store.del(c);
      await store.close();
    }
  });

  it('counts hits in a window', async () => {
    const store = await createCacheStore({ redisUrl });
    const key = tenantKey(`spec-hit-${process.pid}-${Date.now()}`, 'login');
    try {
      expect(await store.hit(key, 60)).toEqual({ count: 1, resetInSeconds: 60 });
      const second = await store.hit(key, 60);
      expect(second.count).toBe(2);
      expect(second.resetInSeconds).toBeGreaterThan(50);
    } finally {
      await store.del(key);
      await store.close();
    }
  });

  it('delivers a published message to another subscriber', async () => {
    const a = await createCacheStore({ redisUrl });
    const b = await createCacheStore({ redisUrl });
    const channel = channelName(`spec-${process.pid}-${Date.now()}`);
    try {
      const received = new Promise<string>((resolve) => {
        void b.subscribe(channel, resolve);
      });
      // Give Redis a moment to register the subscription before publishing.
      await new Promise((r) => setTimeout(r, 100));
      await (redisUrl ? a : b).publish(channel, 'hello');
      await expect(received).resolves.toBe('hello');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
