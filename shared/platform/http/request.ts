import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldError, HttpProblem, problems } from './problem.js';

/** Request checks before any route code runs: size, media type, JSON, nesting, zod. */

export const maxBodyBytes = 256 * 1024;
/** No body of this API nests more than a few levels; anything deeper is refused before use. */
const maxJsonDepth = 32;

/** Nesting depth of a parsed JSON value, iteratively (a deep value cannot overflow the stack here). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d);
    if (deepest > maxJsonDepth) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** zod issues → the contract's `errors: [{ path, message }]`. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(body)',
    message: issue.message,
  }));
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.validation(fieldErrors(parsed.error, prefix));
  return parsed.data;
}

export function lowerHeaders(event: APIGatewayProxyEventV2): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

export function readBody(event: APIGatewayProxyEventV2, headers: Record<string, string>): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) {
    throw new HttpProblem(413, `The body is over ${maxBodyBytes} bytes (256 KiB).`);
  }
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new HttpProblem(415, 'Send JSON with Content-Type: application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'The body is not valid JSON.', {
      errors: [{ path: '(body)', message: 'malformed JSON' }],
    });
  }
  if (depthOf(parsed) > maxJsonDepth) {
    throw new HttpProblem(400, `The body nests deeper than ${maxJsonDepth} levels.`, {
      errors: [{ path: '(body)', message: `nested deeper than ${maxJsonDepth} levels` }],
    });
  }
  return parsed;
}

/** The version an `If-Match` header names (`"3"`, `W/"3"` or `3`), or undefined without one. */
export function ifMatch(headers: Record<string, string>): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) throw problems.field('If-Match', 'must be the record’s version, e.g. "3"');
  return Number(m[1]);
}

/** The ETag of a versioned record. */
export const etag = (record: { version: number }) => ({ etag: `"${record.version}"` });
