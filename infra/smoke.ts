import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { todayIn } from '../shared/platform/dates.js';
import { idNumberFor } from './local/seed-data.js';

/**
 * The smoke test of a deployed stack (or the local one): end to end through the public API with a
 * throwaway township, then its keys revoked. One line at the end says PASS or FAIL.
 *
 *   npm run smoke -- <api-url> [--signup-token <token>]     (or SIGNUP_TOKEN in the environment)
 *
 * Steps: health; sign-up (with the token when given); a grid; a registration; the statistics
 * counting it within 10 s (the stream path); a departure; the statistics counting that within
 * 10 s; cleanup — every API key of the township revoked (also after a failure, once sign-up
 * succeeded). The township's records stay, as every record does: there is no tenant deletion.
 */
export interface SmokeOptions {
  baseUrl: string;
  signupToken?: string;
  /** How long the statistics may take to show a write (default 10 s). */
  statsWithinMs?: number;
  log?: (line: string) => void;
}

export interface SmokeResult {
  ok: boolean;
  baseUrl: string;
  tenantId?: string;
  steps: { step: string; ms: number }[];
  failure?: { step: string; message: string };
  /** Keys revoked in the cleanup. */
  revokedKeys: number;
  ms: number;
}

class StepFailure extends Error {}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const statsWithinMs = options.statsWithinMs ?? 10_000;
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  const result: SmokeResult = { ok: false, baseUrl, steps: [], revokedKeys: 0, ms: 0 };
  let adminKey: string | undefined;
  let adminKeyId: string | undefined;
  let current = 'start';

  const call = async (
    method: string,
    path: string,
    { key, body, headers = {} }: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(method === 'POST' ? { 'idempotency-key': `smoke-${randomUUID()}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      // Throttled (the stage, or sign-up's own route throttle): wait as told, a few times.
      if (res.status === 429 && attempt < 4) {
        await sleep(1000 * Math.max(1, Number(res.headers.get('retry-after') ?? 1)));
        continue;
      }
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        // not JSON: kept as text
      }
      return { status: res.status, body: parsed, text };
    }
  };
  const expectStatus = (answer: Answer, status: number, what: string) => {
    if (answer.status !== status)
      throw new StepFailure(`${what}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 300)}`);
  };
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    current = name;
    const started = Date.now();
    const value = await run();
    result.steps.push({ step: name, ms: Date.now() - started });
    log(`  ok  ${name} (${Date.now() - started} ms)`);
    return value;
  };
  /** Poll the statistics until `check` holds, within the bound. */
  const statsUntil = async (
    key: string,
    check: (totals: Record<string, number>) => boolean,
    what: string,
  ) => {
    const until = Date.now() + statsWithinMs;
    let last = '';
    for (;;) {
      const stats = await call('GET', '/v1/stats', { key });
      expectStatus(stats, 200, 'GET /v1/stats');
      const totals = (stats.body.totals ?? {}) as Record<string, number>;
      if (check(totals)) return;
      last = JSON.stringify(totals);
      if (Date.now() > until)
        throw new StepFailure(`the statistics did not show ${what} within ${statsWithinMs} ms: ${last}`);
      await sleep(250);
    }
  };

  try {
    await step('health', async () => {
      const health = await call('GET', '/v1/health');
      expectStatus(health, 200, 'GET /v1/health');
    });

    const signup = await step('sign-up', async () => {
      const answer = await call('POST', '/v1/signup', {
        body: {
          townshipName: `Smoke test ${new Date().toISOString()}`,
          adminName: 'Smoke test',
          adminEmail: 'smoke-test@example.cn',
        },
        headers: options.signupToken ? { 'x-signup-token': options.signupToken } : {},
      });
      expectStatus(answer, 201, 'POST /v1/signup');
      return answer.body as { tenantId: string; keyId: string; apiKey: string };
    });
    adminKey = signup.apiKey;
    adminKeyId = signup.keyId;
    result.tenantId = signup.tenantId;
    const key = adminKey;

    const gridId = await step('grid', async () => {
      const grid = await call('POST', '/v1/grids', { key, body: { name: 'Smoke grid', community: 'Smoke' } });
      expectStatus(grid, 201, 'POST /v1/grids');
      return grid.body.gridId as string;
    });

    const today = todayIn('Asia/Shanghai');
    const personId = await step('registration', async () => {
      const person = await call('POST', '/v1/people', {
        key,
        body: {
          idNumber: idNumberFor('female', '1990-06-01'),
          name: 'Smoke Test',
          flow: 'inflow',
          gridId,
          address: 'Smoke Street 1',
          arrivedOn: today,
          maritalStatus: 'married',
        },
      });
      expectStatus(person, 201, 'POST /v1/people');
      return person.body.personId as string;
    });

    await step('statistics show the registration', () =>
      statsUntil(key, (t) => t.inflow === 1 && t.floatingPopulation === 1, 'the registration'),
    );

    await step('departure', async () => {
      const departed = await call('POST', `/v1/people/${personId}/departure`, {
        key,
        body: { departedOn: today, reason: 'left' },
      });
      expectStatus(departed, 200, `POST /v1/people/${personId}/departure`);
    });

    await step('statistics show the departure', () =>
      statsUntil(key, (t) => t.inflow === 0 && t.floatingPopulation === 0, 'the departure'),
    );
    result.ok = true;
  } catch (error) {
    result.failure = { step: current, message: (error as Error).message };
  } finally {
    if (adminKey) {
      try {
        result.revokedKeys = await step('cleanup: keys revoked', () => revokeAll(adminKey!, adminKeyId));
      } catch (error) {
        result.ok = false;
        result.failure ??= { step: 'cleanup: keys revoked', message: (error as Error).message };
      }
    }
  }
  result.ms = Date.now() - began;
  return result;

  async function revokeAll(admin: string, adminKeyId: string | undefined): Promise<number> {
    const listed = await call('GET', '/v1/api-keys', { key: admin });
    expectStatus(listed, 200, 'GET /v1/api-keys');
    const keys = (listed.body.items ?? []) as { keyId: string; revokedAt?: string | null }[];
    // The admin's own key last: it does the revoking.
    const order = [
      ...keys.filter((k) => k.keyId !== adminKeyId),
      ...keys.filter((k) => k.keyId === adminKeyId),
    ];
    let revoked = 0;
    for (const k of order) {
      if (k.revokedAt) continue;
      const answer = await call('DELETE', `/v1/api-keys/${k.keyId}`, { key: admin });
      expectStatus(answer, 204, `DELETE /v1/api-keys/${k.keyId}`);
      revoked++;
    }
    return revoked;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The line an operator reads. */
export function summary(result: SmokeResult): string {
  const where = `${result.baseUrl}${result.tenantId ? ` tenant ${result.tenantId}` : ''}`;
  const took = `${(result.ms / 1000).toFixed(1)} s`;
  return result.ok
    ? `smoke: PASS ${where} — ${result.steps.length} steps in ${took}, ${result.revokedKeys} key(s) revoked`
    : `smoke: FAIL ${where} — at "${result.failure?.step}": ${result.failure?.message} (${took}, ${result.revokedKeys} key(s) revoked)`;
}

/** `npm run smoke -- <api-url> [--signup-token <token>]`: the exit code (0 pass, 1 fail, 2 usage). */
export async function main(
  argv: readonly string[],
  environment: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = console.log,
): Promise<number> {
  const args = [...argv];
  let signupToken = environment.SIGNUP_TOKEN || undefined;
  const at = args.indexOf('--signup-token');
  if (at >= 0) {
    signupToken = args[at + 1];
    args.splice(at, 2);
  }
  const [baseUrl] = args;
  if (!baseUrl || !/^https?:\/\//.test(baseUrl) || (at >= 0 && !signupToken)) {
    print('usage: npm run smoke -- <api-url> [--signup-token <token>]   (or SIGNUP_TOKEN=<token>)');
    return 2;
  }
  print(`smoke test of ${baseUrl}${signupToken ? ' (with a sign-up token)' : ''}`);
  const result = await runSmoke({ baseUrl, signupToken, log: print });
  print(summary(result));
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await main(process.argv.slice(2)));
}
