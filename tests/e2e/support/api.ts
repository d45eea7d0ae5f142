import { inject } from 'vitest';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export async function call<T = any>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${inject('baseUrl')}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export interface Workspace {
  tenantId: string;
  adminKey: string;
  keyOf(role: 'admin' | 'office' | 'grid' | 'viewer', gridIds?: string[]): Promise<string>;
  grid(name?: string, community?: string): Promise<string>;
}

let n = 0;
export async function signUp(name = `Township ${++n}`): Promise<Workspace> {
  const res = await call('POST', '/v1/signup', {
    body: { townshipName: name, adminName: 'Admin', adminEmail: 'admin@example.cn' },
  });
  if (res.status !== 201) throw new Error(`signup ${res.status} ${res.text}`);
  const adminKey = res.body.apiKey as string;
  return {
    tenantId: res.body.tenantId as string,
    adminKey,
    async keyOf(role, gridIds) {
      const key = await call('POST', '/v1/api-keys', {
        key: adminKey,
        body: { name: `${role} key`, role, ...(gridIds ? { gridIds } : {}) },
      });
      if (key.status !== 201) throw new Error(`api key ${key.status} ${key.text}`);
      return key.body.apiKey as string;
    },
    async grid(gridName = `Grid ${++n}`, community = 'East Community') {
      const g = await call('POST', '/v1/grids', { key: adminKey, body: { name: gridName, community } });
      if (g.status !== 201) throw new Error(`grid ${g.status} ${g.text}`);
      return g.body.gridId as string;
    },
  };
}

export function expectProblem(res: ApiResponse, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json'))
    throw new Error(`expected problem+json, got ${type}: ${res.text}`);
  const body = res.body as { status?: number; title?: string; type?: string };
  if (body.status !== status || !body.title || !body.type) throw new Error(`not a problem body: ${res.text}`);
}

/** Poll until `check` passes or `ms` elapse (statistics freshness). */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (v: T) => boolean,
  ms = 5000,
): Promise<T> {
  const until = Date.now() + ms;
  let last = await probe();
  while (!check(last)) {
    if (Date.now() > until) return last;
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
