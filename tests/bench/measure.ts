import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Run `fn` over `items` with at most `concurrency` in flight; resolves to the wall time in ms. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return performance.now() - started;
}

/** Poll `probe` every `intervalMs` until `done` holds; throws after `timeoutMs`. Resolves to the elapsed ms. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  opts: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  for (;;) {
    const value = await probe();
    const ms = performance.now() - started;
    if (done(value)) return { ms, value };
    if (ms > timeoutMs) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${show(value)})`);
    await sleep(opts.intervalMs ?? 50);
  }
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s && s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

export interface ReadCount {
  /** Items returned by Query (Items), Get (Item) and BatchGet (Responses). */
  items: number;
  /** Items per command name, e.g. { QueryCommand: 104, GetCommand: 101 }. */
  byCommand: Record<string, number>;
  /** Requests per command name (reads and writes). */
  requests: Record<string, number>;
}

/**
 * Count what a document client reads while `run` runs: wraps its `send`, and restores it after.
 * Counts every item a Query, Get or BatchGet returned to the caller.
 */
export async function countingReads<T>(
  client: DynamoDBDocumentClient,
  run: () => Promise<T>,
): Promise<{ result: T; reads: ReadCount }> {
  const reads: ReadCount = { items: 0, byCommand: {}, requests: {} };
  const original = client.send;
  const send = original as (...args: unknown[]) => Promise<unknown>;
  const counted = async (...args: unknown[]) => {
    const name = (args[0] as object | undefined)?.constructor.name ?? 'unknown';
    reads.requests[name] = (reads.requests[name] ?? 0) + 1;
    const out = await send.apply(client, args);
    const n = itemsIn(out);
    if (n > 0) {
      reads.items += n;
      reads.byCommand[name] = (reads.byCommand[name] ?? 0) + n;
    }
    return out;
  };
  client.send = counted as typeof client.send;
  try {
    return { result: await run(), reads };
  } finally {
    client.send = original;
  }
}

function itemsIn(out: unknown): number {
  if (out === null || typeof out !== 'object') return 0;
  const o = out as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
  if (Array.isArray(o.Items)) return o.Items.length;
  if (o.Responses) return Object.values(o.Responses).reduce((n, r) => n + r.length, 0);
  return o.Item ? 1 : 0;
}

export const perSecond = (count: number, ms: number) => (count * 1000) / ms;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Numbers for a terminal: 1234.5 → "1,235", 0.1234 → "0.123". */
export function fmt(n: number, digits?: number): string {
  if (!Number.isFinite(n)) return String(n);
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3);
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export interface Latency {
  p50: number;
  p99: number;
}

export const latencyOf = (ms: readonly number[]): Latency => ({
  p50: percentile(ms, 50),
  p99: percentile(ms, 99),
});

/** Latencies of API calls as a client sees them, and of the attempts that were answered. */
export interface CallLatency {
  /** From the first attempt to the answer (429 pauses included). */
  client: Latency;
  /** The answered attempt alone. */
  served: Latency;
  calls: number;
  /** 429s from the local stage throttle, retried. */
  throttled: number;
}

export class CallTimes {
  private readonly total: number[] = [];
  private readonly served: number[] = [];
  private throttled = 0;

  add(res: { totalMs: number; servedMs: number; throttled: number }): void {
    this.total.push(res.totalMs);
    this.served.push(res.servedMs);
    this.throttled += res.throttled;
  }

  summary(): CallLatency {
    return {
      client: latencyOf(this.total),
      served: latencyOf(this.served),
      calls: this.total.length,
      throttled: this.throttled,
    };
  }
}
