import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpHost } from '../../../infra/local/http-host.js';
import { apiThrottle, routeThrottles } from '../../../shared/app/index.js';
import { createTestTables } from '../support/dynamo.js';

process.env.DEPLOYMENT_SECRET ??= 'integration-test-secret';

/**
 * Issue 10, point 3: sign-up has a route throttle of its own, much tighter than the stage's, from
 * the one map the AWS stage's RouteSettings come from; the local host applies it too.
 */
let host: HttpHost;
let base: string;

beforeAll(async () => {
  await createTestTables('ops-signup');
  host = new HttpHost({ port: 0 });
  base = `http://127.0.0.1:${await host.start()}`;
});

afterAll(async () => {
  await host?.stop();
});

const signUp = (i: number) =>
  fetch(`${base}/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ townshipName: `Throttled ${i}`, adminName: 'A', adminEmail: 'a@example.cn' }),
  });

describe('the sign-up route throttle on the local host', () => {
  it('answers 429 past the route burst while the rest of the API is served, and refills at its rate', async () => {
    const throttle = routeThrottles['POST /v1/signup']!;
    expect(throttle.burstLimit).toBeLessThan(apiThrottle.burstLimit);
    expect(throttle.rateLimit).toBeLessThan(apiThrottle.rateLimit);

    // All at once: the bucket holds `burstLimit` tokens (and refills at `rateLimit` a second).
    const answers = await Promise.all(Array.from({ length: throttle.burstLimit + 3 }, (_, i) => signUp(i)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(throttle.burstLimit);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(throttle.burstLimit + 1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 429)).toBe(true);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    // Only sign-up is throttled: the stage still serves everything else.
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);

    await new Promise((r) => setTimeout(r, Math.ceil(1000 / throttle.rateLimit) + 100));
    expect((await signUp(100)).status).toBe(201);
  });
});
