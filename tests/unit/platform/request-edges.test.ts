import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

// Powertools' metrics would print an EMF blob per invocation; these tests read only responses.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
});

// The idempotency store is DynamoDB; here only the scope the pipeline asks for is recorded.
const scopes = vi.hoisted(() => [] as string[]);
vi.mock('../../../shared/platform/http/idempotency.js', async (original) => ({
  ...(await original<typeof import('../../../shared/platform/http/idempotency.js')>()),
  runIdempotent: async (call: { scope: string; run: () => Promise<unknown> }) => {
    scopes.push(call.scope);
    return call.run();
  },
}));

import { InvalidInput } from '../../../shared/platform/errors.js';
import { httpHandler } from '../../../shared/platform/http/handler.js';
import { readBody } from '../../../shared/platform/http/request.js';
import { declareRoute, implement } from '../../../shared/platform/http/route.js';

const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:test',
  memoryLimitInMB: '128',
  awsRequestId: 'aws-req',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const thingBody = z.strictObject({ name: z.string(), nested: z.strictObject({ a: z.number() }).optional() });
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().optional(),
});

const routes = [
  implement(
    declareRoute({
      method: 'POST',
      path: '/v1/things',
      access: 'public',
      summary: 'create a thing',
      body: thingBody,
      status: 201,
      budget: 0,
    }),
    async ({ body }) => ({ body }),
  ),
  implement(
    declareRoute({
      method: 'POST',
      path: '/v1/things/{thingId}/parts/{partId}',
      access: 'public',
      summary: 'a part of a thing',
      body: thingBody,
      budget: 0,
    }),
    async ({ params }) => ({ body: params }),
  ),
  implement(
    declareRoute({
      method: 'GET',
      path: '/v1/things',
      access: 'public',
      summary: 'list things',
      query: listQuery,
      budget: 0,
    }),
    async ({ query }) => {
      if (query.cursor === 'stolen') throw InvalidInput.field('cursor', 'is not a cursor this API issued');
      return { body: query };
    },
  ),
];
const handler = httpHandler({ routes });

interface EventOptions {
  rawPath?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  query?: Record<string, string>;
  rawQueryString?: string;
  pathParameters?: Record<string, string>;
}

function event(routeKey: string, o: EventOptions = {}): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ') as [string, string];
  const rawPath = o.rawPath ?? path;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: o.rawQueryString ?? '',
    headers: o.headers ?? (o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(o.query ? { queryStringParameters: o.query } : {}),
    ...(o.pathParameters ? { pathParameters: o.pathParameters } : {}),
    requestContext: {
      accountId: '0',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...(o.body !== undefined ? { body: o.body } : {}),
    isBase64Encoded: o.isBase64Encoded ?? false,
  };
}

async function invoke(e: APIGatewayProxyEventV2) {
  const out = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: out.statusCode,
    headers: (out.headers ?? {}) as Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    body: out.body ? (JSON.parse(out.body) as any) : undefined,
  };
}

beforeEach(() => {
  scopes.length = 0;
});

describe('Idempotency-Key scope', () => {
  it('is the matched route and its path parameters, not the raw path spelling', async () => {
    const body = JSON.stringify({ name: 'x' });
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'key-0123456789abcdef' };
    for (const rawPath of ['/v1/things', '/v1/things/', '/v1//things']) {
      expect((await invoke(event('POST /v1/things', { rawPath, headers, body }))).status).toBe(201);
    }
    expect(scopes).toHaveLength(3);
    expect(new Set(scopes).size).toBe(1);
    expect(scopes[0]).not.toContain('/v1//things');
  });

  it('orders path parameters canonically and tells different parameters apart', async () => {
    const body = JSON.stringify({ name: 'x' });
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'key-0123456789abcdef' };
    const key = 'POST /v1/things/{thingId}/parts/{partId}';
    await invoke(
      event(key, {
        rawPath: '/v1/things/t1/parts/p1',
        headers,
        body,
        pathParameters: { thingId: 't1', partId: 'p1' },
      }),
    );
    await invoke(
      event(key, {
        rawPath: '/v1/things/t1//parts/p1/',
        headers,
        body,
        pathParameters: { partId: 'p1', thingId: 't1' },
      }),
    );
    await invoke(
      event(key, {
        rawPath: '/v1/things/t1/parts/p2',
        headers,
        body,
        pathParameters: { thingId: 't1', partId: 'p2' },
      }),
    );
    expect(scopes).toHaveLength(3);
    expect(scopes[0]).toBe(scopes[1]);
    expect(scopes[2]).not.toBe(scopes[0]);
  });
});

describe('two Authorization headers', () => {
  // API Gateway joins a repeated header with a comma; the local host does the same.
  it.each([
    'Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa,Bearer trk_bbbbbbbbbbbbbbbbbbbbbbbb',
    'Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa, Bearer trk_bbbbbbbbbbbbbbbbbbbbbbbb',
    'Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa,Basic dXNlcjpwYXNz',
    'Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa,',
    ',Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa',
    'Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa,Negotiate',
  ])('%s is a 400 problem naming Authorization', async (authorization) => {
    const res = await invoke(event('GET /v1/things', { headers: { authorization } }));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, errors: [{ path: 'Authorization' }] });
    expect(JSON.stringify(res.body)).not.toContain('trk_');
  });

  it('one header, even with auth-params separated by commas, is not two', async () => {
    for (const authorization of [
      'Bearer trk_aaaaaaaaaaaaaaaaaaaaaaaa',
      'Digest username="a", realm="b", nonce="c"',
    ]) {
      expect((await invoke(event('GET /v1/things', { headers: { authorization } }))).status).toBe(200);
    }
  });
});

describe('JSON bodies', () => {
  it('accepts a UTF-8 byte-order mark at the start', async () => {
    const body = `\uFEFF${JSON.stringify({ name: 'x' })}`;
    const res = await invoke(event('POST /v1/things', { body }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'x' });
    const base64 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"y"}')]).toString(
      'base64',
    );
    const encoded = await invoke(event('POST /v1/things', { body: base64, isBase64Encoded: true }));
    expect(encoded.status).toBe(201);
    expect(encoded.body).toEqual({ name: 'y' });
  });

  it.each([
    'application/json; charset=iso-8859-1',
    'application/json;charset="windows-1252"',
    'application/json; charset=utf-16',
    'application/json; charset=nonsense',
  ])('refuses %s with 415', async (type) => {
    const res = await invoke(
      event('POST /v1/things', { headers: { 'content-type': type }, body: '{"name":"x"}' }),
    );
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it.each([
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; charset=utf8',
  ])('accepts %s', async (type) => {
    const res = await invoke(
      event('POST /v1/things', { headers: { 'content-type': type }, body: '{"name":"x"}' }),
    );
    expect(res.status).toBe(201);
  });

  it('refuses a base64 body that is not UTF-8', async () => {
    const body = Buffer.from([
      0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d,
    ]).toString('base64');
    const res = await invoke(event('POST /v1/things', { body, isBase64Encoded: true }));
    expect(res.status).toBe(400);
  });

  it.each([
    ['{"name":"x","__proto__":{"polluted":true}}', '(body)', '__proto__'],
    ['{"name":"x","constructor":{"prototype":{}}}', '(body)', 'constructor'],
    ['{"name":"x","nested":{"a":1,"__proto__":null}}', 'nested', '__proto__'],
    ['{"name":"x","nested":{"a":1,"prototype":1}}', 'nested', 'prototype'],
    ['{"name":"x","list":[{"ok":1},{"__proto__":1}]}', 'list.1', '__proto__'],
  ])('refuses %s naming the key like any unknown field', async (body, path, key) => {
    const res = await invoke(event('POST /v1/things', { body }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path, message: `Unrecognized key: "${key}"` });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('finds the keys in a body the route does not validate field by field', () => {
    expect(() =>
      readBody(event('POST /v1/things', { body: '{"items":[{"a":1},{"b":{"__proto__":{}}}]}' }), {
        'content-type': 'application/json',
      }),
    ).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('keeps body error paths as they are', async () => {
    const res = await invoke(event('POST /v1/things', { body: '{"name":1,"nested":{"a":"x"}}' }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'nested.a']);
  });
});

describe('query parameters', () => {
  it('name the parameter with a query. prefix', async () => {
    const res = await invoke(event('GET /v1/things', { query: { limit: '0' }, rawQueryString: 'limit=0' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
  });

  it('an unknown parameter is named under query', async () => {
    const res = await invoke(event('GET /v1/things', { query: { lmit: '5' }, rawQueryString: 'lmit=5' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'query', message: 'Unrecognized key: "lmit"' }]);
  });

  it('a use case’s error about a query parameter is named under query too', async () => {
    const res = await invoke(
      event('GET /v1/things', { query: { cursor: 'stolen' }, rawQueryString: 'cursor=stolen' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'query.cursor', message: 'is not a cursor this API issued' }]);
    expect(res.body.detail).toContain('query.cursor');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('%s as a parameter name is a 400', async (name) => {
    // As API Gateway sends it: its JSON parsed by the runtime, so `__proto__` is an own property.
    const query = JSON.parse(`{"${name}":"1"}`) as Record<string, string>;
    const res = await invoke(event('GET /v1/things', { query, rawQueryString: `${name}=1` }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'query', message: `Unrecognized key: "${name}"` });
    // A route with no query parameters refuses it as well.
    const post = await invoke(
      event('POST /v1/things', { query, rawQueryString: `${name}=1`, body: '{"name":"x"}' }),
    );
    expect(post.status).toBe(400);
    expect(post.body.errors).toContainEqual({ path: 'query', message: `Unrecognized key: "${name}"` });
  });

  it('a __proto__ parameter a host dropped from the parsed parameters is still found in the raw query', async () => {
    const res = await invoke(event('GET /v1/things', { rawQueryString: 'limit=5&__proto__=1' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'query', message: 'Unrecognized key: "__proto__"' });
  });
});
