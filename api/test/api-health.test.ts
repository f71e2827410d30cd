import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from './support/processes.js';
import { requireService, uniqueQueue } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';

const ready = (await requireService('postgres')) && (await requireService('redis-server'));

/** /healthz names each dependency with its state, and is not ready (503) while the queue is gone. */
describe.runIf(ready)('health with Redis coming and going', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await testApp('api_health', { redisUrl: redis.url, ...uniqueQueue('health') });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.kill();
  });

  const health = async () => {
    const started = performance.now();
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    return { status: res.statusCode, body: res.json() as Record<string, unknown>, ms: performance.now() - started };
  };

  it('says ok with both up, 503 naming the queue while Redis is down, and ok again once it is back', async () => {
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok', queue: 'ok', queueMode: 'redis' } });
    await redis.kill();
    // Answered promptly: a probe must not wait for Redis to come back.
    const down = await health();
    expect(down).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'ok', queue: 'down', queueMode: 'redis' } });
    expect(down.ms).toBeLessThan(2_500);
    await redis.restart();
    let back = await health();
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      back = await health();
    }
    expect(back).toMatchObject({ status: 200, body: { queue: 'ok' } });
  });
});
