import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldError, HttpProblem, problems } from './problem.js';

/**
 * Request checks before any route code runs: size, media type and charset, JSON, nesting,
 * forbidden keys, zod.
 */

export const maxBodyBytes = 256 * 1024;
/** No body of this API nests more than a few levels; anything deeper is refused before use. */
const maxJsonDepth = 32;

/**
 * Keys no body or query of this API has, which would reach an object's prototype chain if a
 * parsed value were ever merged into another (`JSON.parse` makes `__proto__` an own property,
 * which a spread or `Object.assign` then turns into a prototype).
 */
export const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The message of an unknown field, worded as zod words it for any other key. */
export const unknownKeyMessage = (key: string) => `Unrecognized key: "${key}"`;

/**
 * One walk over a parsed JSON value, iteratively (a deep value cannot overflow the stack here):
 * refuses nesting deeper than `maxJsonDepth` and any forbidden key, named like an unknown field
 * (the path of the object that holds it, `(body)` at the top).
 */
function checkJsonValue(value: unknown): void {
  const errors: FieldError[] = [];
  const stack: [unknown, number, string][] = [[value, 1, '']];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop() as [unknown, number, string];
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxJsonDepth) {
      throw new HttpProblem(400, `The body nests deeper than ${maxJsonDepth} levels.`, {
        errors: [{ path: '(body)', message: `nested deeper than ${maxJsonDepth} levels` }],
      });
    }
    for (const key of Object.keys(v)) {
      if (!Array.isArray(v) && forbiddenKeys.has(key)) {
        errors.push({ path: path || '(body)', message: unknownKeyMessage(key) });
        continue;
      }
      stack.push([(v as Record<string, unknown>)[key], depth + 1, path ? `${path}.${key}` : key]);
    }
  }
  if (errors.length > 0) throw problems.validation(errors);
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

/** A UTF-8 byte-order mark, which some clients (and Windows tools) put before JSON. */
const byteOrderMark = '\uFEFF';

/**
 * The media type and charset of a Content-Type header. The charset is resolved as the WHATWG
 * Encoding Standard resolves labels (`utf8`, `UTF-8`, `"utf-8"` are all UTF-8); an unknown
 * label resolves to undefined.
 */
function contentType(header: string | undefined): { type: string; charset: string | null | undefined } {
  const [type = '', ...params] = (header ?? '').split(';');
  let charset: string | null | undefined = null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const label = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      charset = new TextDecoder(label).encoding;
    } catch {
      charset = undefined;
    }
  }
  return { type: type.trim().toLowerCase(), charset };
}

/** Decode a base64 body as UTF-8, refusing bytes that are not UTF-8 (never a silent U+FFFD). */
function decodeUtf8(bytes: Buffer): string {
  try {
    // ignoreBOM: the byte-order mark stays in the text and is removed below with the text's own.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, 'The body is not valid UTF-8.', {
      errors: [{ path: '(body)', message: 'not valid UTF-8' }],
    });
  }
}

/**
 * The request's JSON body, or undefined without one. In order: at most 256 KiB (413); JSON
 * (`application/json` or `application/*+json`) in UTF-8 — a declared charset other than UTF-8
 * is 415, a byte-order mark at the start is skipped; valid JSON (400); at most 32 levels deep
 * and no `__proto__`, `constructor` or `prototype` key anywhere (400).
 */
export function readBody(event: APIGatewayProxyEventV2, headers: Record<string, string>): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const size = event.isBase64Encoded
    ? Buffer.byteLength(event.body, 'base64')
    : Buffer.byteLength(event.body, 'utf8');
  if (size > maxBodyBytes) {
    throw new HttpProblem(413, `The body is over ${maxBodyBytes} bytes (256 KiB).`);
  }
  const { type, charset } = contentType(headers['content-type']);
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new HttpProblem(415, 'Send JSON with Content-Type: application/json.');
  }
  if (charset !== null && charset !== 'utf-8') {
    throw new HttpProblem(
      415,
      'Send JSON in UTF-8: Content-Type: application/json; charset=utf-8, or no charset.',
    );
  }
  let text = event.isBase64Encoded ? decodeUtf8(Buffer.from(event.body, 'base64')) : event.body;
  if (text.startsWith(byteOrderMark)) text = text.slice(byteOrderMark.length);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'The body is not valid JSON.', {
      errors: [{ path: '(body)', message: 'malformed JSON' }],
    });
  }
  checkJsonValue(parsed);
  return parsed;
}

/**
 * Whether an Authorization value carries two sets of credentials. API Gateway (and the local
 * host, which does as it does) joins a header sent twice with a comma, so `Bearer a,Bearer b` is
 * two headers. A comma followed by an auth-param (`realm="x"`) belongs to one header; one
 * followed by a scheme (a token and then a space or the end), or by nothing, starts another.
 */
export function isRepeatedAuthorization(value: string): boolean {
  const parts = value.split(',');
  if (parts.length < 2) return false;
  if ((parts[0] ?? '').trim() === '') return true;
  return parts.slice(1).some((part) => {
    const p = part.trim();
    return p === '' || /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:$|\s(?!\s*=))/.test(p);
  });
}

/**
 * Query parameter names that are never a parameter of this API (`__proto__`, `constructor`,
 * `prototype`), from the parsed parameters and from the raw query string (where a host that
 * built the parameters on a plain object may have lost `__proto__`).
 */
export function forbiddenQueryNames(event: APIGatewayProxyEventV2): string[] {
  const names = new Set(Object.keys(event.queryStringParameters ?? {}));
  for (const name of new URLSearchParams(event.rawQueryString ?? '').keys()) names.add(name);
  return [...names].filter((n) => forbiddenKeys.has(n));
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
