/**
 * The console's only way to the server: the public HTTP API on the same origin. The API key
 * comes from the session (sessionStorage) and goes only into the Authorization header — never
 * into a URL, never into a log.
 */
import { readKey } from './session-store';

export interface FieldProblem {
  path: string;
  message: string;
}

/** An RFC 9457 problem as the API sends it (plus the extensions some answers carry). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  personId?: string;
  currentVersion?: number;
  requestId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** A version conflict: 412 (If-Match is stale) or 409 (the record changed or is no longer active). */
  get isConflict(): boolean {
    return this.status === 412 || this.status === 409;
  }

  /** The message the API gave for `field` (a body field, or `query.<name>`). */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === field || e.path === `query.${field}`)?.message;
  }
}

/** Network failure (no answer at all). */
export class OfflineError extends Error {}

type Listener = (error: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();
/** Called on every 401 (the session ends). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  ifMatch?: number;
  idempotencyKey?: string;
  /** Use this key instead of the session's (sign-in checks a key before keeping it). */
  key?: string;
  /** Send no Authorization header (sign-up, the OpenAPI document). */
  anonymous?: boolean;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = options.anonymous ? undefined : (options.key ?? readKey());
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new OfflineError('network');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem: Problem =
      parsed && typeof parsed === 'object' && 'status' in parsed
        ? (parsed as Problem)
        : { type: 'about:blank', title: response.statusText, status: response.status };
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && !options.key) for (const l of unauthorizedListeners) l(error);
    throw error;
  }
  return parsed as T;
}

/**
 * Idempotency keys for one form: the same body gets the same key (a retry after a lost
 * answer writes nothing twice), a different body a new one (never a 409 for reusing a key).
 */
export function idempotencyKeys(): (body: unknown) => string {
  let last: { body: string; key: string } | undefined;
  return (body) => {
    const s = JSON.stringify(body);
    if (last?.body !== s) last = { body: s, key: newIdempotencyKey() };
    return last.key;
  };
}
