import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoAnswers } from '../../infra/local/dynamodb.js';
import { HttpHost } from '../../infra/local/http-host.js';
import { freePort } from '../support/ports.js';

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is healthy, keeps data across a restart, and SIGTERM stops everything it started', async () => {
    const port = await freePort();
    const dynamoPort = await freePort();
    const start = async () => {
      const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'infra/local/start.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          DYNAMODB_PORT: String(dynamoPort),
          DATA_DIR: dataDir,
          SCHEDULER_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const began = Date.now();
      for (;;) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/v1/health`)).status === 200) break;
        } catch {
          // starting
        }
        if (child.exitCode !== null || Date.now() - began > 45_000)
          throw new Error(`not healthy:\n${output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
      return { child, healthyAfterMs: Date.now() - began, output: () => output };
    };
    const stop = async (child: ReturnType<typeof spawn>) => {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      return exited;
    };

    const first = await start();
    expect(first.healthyAfterMs).toBeLessThan(30_000);
    const signup = await fetch(`http://127.0.0.1:${port}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ townshipName: 'Restart', adminName: 'A', adminEmail: 'a@example.cn' }),
    });
    const { apiKey } = (await signup.json()) as { apiKey: string };
    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toMatch(/stopped/);
    expect(await dynamoAnswers(`http://127.0.0.1:${dynamoPort}`)).toBe(false);

    const second = await start();
    const tenant = await fetch(`http://127.0.0.1:${port}/v1/tenant`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(tenant.status).toBe(200);
    expect(await stop(second.child)).toBe(0);
    expect(await dynamoAnswers(`http://127.0.0.1:${dynamoPort}`)).toBe(false);
  }, 120_000);
});

describe('the local API Gateway', () => {
  it('throttles with 429 problem+json past the burst', async () => {
    const host = new HttpHost({ port: 0, throttle: { rateLimit: 1, burstLimit: 3 } });
    const port = await host.start();
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await fetch(`http://127.0.0.1:${port}/v1/openapi.json`)).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      const throttled = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await host.stop();
    }
  });
});
