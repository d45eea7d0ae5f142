import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authorizer, httpTimeoutSeconds } from '../../../shared/app/index.js';

/**
 * The local host gives each function the deadline of the one definition (shared/app: the
 * deployed Lambda timeouts), multiplied only by a test stack's `timeoutFactor`. The handlers are
 * replaced by ones that report the time they were given.
 */
const given = vi.hoisted(() => ({ authorizer: 0, http: 0 }));
vi.mock('../../../infra/local/handlers.js', async (original) => {
  const real = await original<typeof import('../../../infra/local/handlers.js')>();
  return {
    ...real,
    loadHandler: async (entry: string) =>
      entry === 'functions/auth/authorizer.ts'
        ? async (_event: unknown, context: Context) => {
            given.authorizer = context.getRemainingTimeInMillis();
            return { isAuthorized: true, context: {} };
          }
        : async (_event: unknown, context: Context) => {
            given.http = context.getRemainingTimeInMillis();
            return { statusCode: 200, body: '{}' };
          },
  };
});

const { HttpHost } = await import('../../../infra/local/http-host.js');

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function deadlines(timeoutFactor?: number) {
  const host = new HttpHost({ port: 0, throttle: false, ...(timeoutFactor ? { timeoutFactor } : {}) });
  const port = await host.start();
  stop = () => host.stop();
  // a route behind the authorizer: both functions run
  const res = await fetch(`http://127.0.0.1:${port}/v1/tenant`, { headers: { authorization: 'Bearer x' } });
  expect(res.status).toBe(200);
  return { ...given };
}

/** Remaining time as seconds, rounded up (a few milliseconds pass before the handler reads it). */
const seconds = (ms: number) => Math.ceil(ms / 1000);

describe('the local host’s function deadlines', () => {
  it('are the deployed timeouts of the one definition', async () => {
    const d = await deadlines();
    expect([seconds(d.authorizer), seconds(d.http)]).toEqual([authorizer.timeoutSeconds, httpTimeoutSeconds]);
    expect([authorizer.timeoutSeconds, httpTimeoutSeconds]).toEqual([5, 10]);
  });

  it('are stretched by a test stack’s timeoutFactor, and only then', async () => {
    const d = await deadlines(6);
    expect([seconds(d.authorizer), seconds(d.http)]).toEqual([30, 60]);
  });
});
