import { sleep } from './measure.js';

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON
  body: any;
  /** The attempt that was answered (not a 429): from sending it to its whole body read, in ms. */
  servedMs: number;
  /** From the first attempt to the answer, 429 pauses and retries included, in ms. */
  totalMs: number;
  /** 429s this call got (and retried) before its answer. */
  throttled: number;
}

/**
 * A small client for the local HTTP API. A 429 from the local host's stage throttle is retried
 * after a short pause and counted, so a figure capped by the throttle says so.
 */
export class Api {
  throttled = 0;

  constructor(readonly baseUrl: string) {}

  async call(
    method: string,
    path: string,
    opts: { key?: string; body?: unknown } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const first = performance.now();
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      if (res.status === 429 && attempt < 50) {
        this.throttled++;
        await sleep(50);
        continue;
      }
      const answered = performance.now();
      return {
        status: res.status,
        body: text ? JSON.parse(text) : undefined,
        servedMs: answered - started,
        totalMs: answered - first,
        throttled: attempt,
      };
    }
  }

  async expect(status: number, method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
    return (await this.expectTimed(status, method, path, opts)).body;
  }

  /** Like `expect`, with the call's timings. */
  async expectTimed(
    status: number,
    method: string,
    path: string,
    opts: { key?: string; body?: unknown } = {},
  ): Promise<ApiResponse> {
    const res = await this.call(method, path, opts);
    if (res.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }

  /** Sign up a fresh township with `gridCount` grids. */
  async township(
    name: string,
    gridCount: number,
  ): Promise<{ tenantId: string; keyId: string; key: string; grids: string[] }> {
    const signup = await this.expect(201, 'POST', '/v1/signup', {
      body: { townshipName: name, adminName: 'Bench', adminEmail: 'bench@example.cn' },
    });
    const key = signup.apiKey as string;
    const grids: string[] = [];
    for (let i = 0; i < gridCount; i++) {
      const grid = await this.expect(201, 'POST', '/v1/grids', {
        key,
        body: { name: `Bench grid ${i + 1}`, community: 'Bench Community' },
      });
      grids.push(grid.gridId as string);
    }
    return { tenantId: signup.tenantId as string, keyId: signup.keyId as string, key, grids };
  }

  /** `GET /v1/stats` totals.floatingPopulation for this key. */
  async floatingPopulation(key: string): Promise<number> {
    const stats = await this.expect(200, 'GET', '/v1/stats', { key });
    return stats.totals.floatingPopulation as number;
  }

  /** `GET /v1/stats/monthly` verifications recorded in `month` (YYYY-MM), every grid. */
  async verificationsIn(key: string, month: string): Promise<number> {
    const out = await this.expect(200, 'GET', `/v1/stats/monthly?from=${month}&to=${month}`, { key });
    return (out.months as { verified?: number }[]).reduce((n, m) => n + (m.verified ?? 0), 0);
  }
}
