import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoAnswers } from '../../../infra/local/dynamodb.js';
import { HttpHost } from '../../../infra/local/http-host.js';
import { startStack } from '../../support/local-stack.js';
import { freePort } from '../../support/ports.js';

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is healthy, keeps data across a restart, and SIGTERM stops everything it started', async () => {
    const port = await freePort();
    const dynamoPort = await freePort();
    // healthy (startStack waits for GET /v1/health); how fast is `npm run bench`'s figure — a
    // timed assertion here failed when the whole suite shared two cores (31.9 s)
    const first = await startStack({ port, dynamoPort, dataDir });
    const signup = await fetch(`${first.baseUrl}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ townshipName: 'Restart', adminName: 'A', adminEmail: 'a@example.cn' }),
    });
    const { apiKey } = (await signup.json()) as { apiKey: string };
    expect(await first.stop()).toMatchObject({ clean: true, dynamoGone: true });
    expect(await dynamoAnswers(`http://127.0.0.1:${dynamoPort}`)).toBe(false);

    const second = await startStack({ port, dynamoPort, dataDir });
    const tenant = await fetch(`${second.baseUrl}/v1/tenant`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(tenant.status).toBe(200);
    expect(await second.stop()).toMatchObject({ clean: true, dynamoGone: true });
    expect(await dynamoAnswers(`http://127.0.0.1:${dynamoPort}`)).toBe(false);
  }, 240_000); // two stacks started and stopped: generous for 2 busy cores
});

describe('the local API Gateway', () => {
  it('throttles with 429 problem+json past the burst', async () => {
    // A token every 100 s: however slowly a busy machine sends the four requests, none refills
    // the bucket (at 1 a second, four requests taking over a second on a loaded CI each passed).
    const host = new HttpHost({ port: 0, throttle: { rateLimit: 0.01, burstLimit: 3 } });
    const port = await host.start();
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await fetch(`http://127.0.0.1:${port}/v1/openapi.json`)).status);
      expect(statuses).toEqual([200, 200, 200]);
      const throttled = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await host.stop();
    }
  });
});

describe('the local API Gateway and odd requests', () => {
  it('answers an unparseable request target with 400, not 500', async () => {
    const { connect } = await import('node:net');
    const host = new HttpHost({ port: 0 });
    const port = await host.start();
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write('GET //[/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
        );
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).toContain('application/problem+json');
    } finally {
      await host.stop();
    }
  });
});
