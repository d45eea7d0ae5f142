import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics, tracer } from '../observability.js';
import { deploymentKeys } from '../secrets.js';
import { dynamoClient, idempotencyTableName } from '../table/client.js';
import { fromAuthorizerContext, type Principal } from './principal.js';
import { type FieldError, HttpProblem, problems } from './problem.js';
import { defaultRoute, findRoute, type HttpFunctionName, matchRoute } from './routes.js';

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

export interface RouteRequest<B, Q> {
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
  headers: Record<string, string>;
  requestId: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteImpl<B = unknown, Q = unknown> {
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  handle(req: RouteRequest<B, Q>): Promise<RouteResponse>;
}

export interface PublicRouteImpl<B = unknown> {
  body?: z.ZodType<B>;
  handle(req: Omit<RouteRequest<B, Record<string, string>>, 'principal'>): Promise<RouteResponse>;
}

/** Declare a route implementation with its schemas; types flow from the schemas. */
export const route = <B = undefined, Q = Record<string, string>>(impl: RouteImpl<B, Q>): RouteImpl<B, Q> =>
  impl;
export const publicRoute = <B = undefined>(impl: PublicRouteImpl<B>): PublicRouteImpl<B> => impl;

// biome-ignore lint/suspicious/noExplicitAny: implementations of differently typed routes live in one map
type AnyImpl = RouteImpl<any, any> | PublicRouteImpl<any>;

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

function lowerHeaders(event: APIGatewayProxyEventV2): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function readBody(event: APIGatewayProxyEventV2, headers: Record<string, string>): unknown {
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

export function jsonResponse(r: RouteResponse): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.body === undefined) return { statusCode: r.status, headers };
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { statusCode: r.status, headers, body: JSON.stringify(r.body) };
}

export function problemResponse(p: HttpProblem, requestId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: p.status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId, ...p.headers },
    body: JSON.stringify({ ...p.body(), requestId }),
  };
}

/** `$default`: the path is unknown (404), or known with another method (405). */
function unmatched(event: APIGatewayProxyEventV2): HttpProblem {
  const match = matchRoute(event.requestContext.http.method, event.rawPath);
  if (match && 'allowedMethods' in match) {
    const allow = match.allowedMethods.join(', ');
    return new HttpProblem(405, `${event.rawPath} allows ${allow}.`, {}, { allow });
  }
  return new HttpProblem(404, `No route ${event.requestContext.http.method} ${event.rawPath}.`);
}

let persistence: DynamoDBPersistenceLayer | undefined;
const idempotencyStore = () => {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: idempotencyTableName(),
    awsSdkV3Client: dynamoClient(),
  });
  return persistence;
};

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
const minPublicKeyLength = 16;

interface IdempotentCall {
  key: string;
  payload: string;
}

/**
 * Run one POST under an Idempotency-Key: the same key + same body within 24 h returns the first
 * response and writes nothing; the same key with another body (or while the first is still
 * running) is a 409. Keys are scoped to the API key (or to sign-up) and the route.
 */
async function runIdempotent(
  scope: string,
  headerValue: string,
  body: unknown,
  context: Context,
  run: () => Promise<RouteResponse>,
): Promise<RouteResponse> {
  if (!idempotencyKeyPattern.test(headerValue)) {
    throw problems.field('Idempotency-Key', 'must be 1–255 visible ASCII characters');
  }
  if (scope.startsWith('public') && headerValue.length < minPublicKeyLength) {
    // Anyone may call a public route: only a key nobody can guess keeps its replay private.
    throw problems.field(
      'Idempotency-Key',
      `must be at least ${minPublicKeyLength} characters on this route (e.g. a UUID)`,
    );
  }
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'payload',
    expiresAfterSeconds: 24 * 60 * 60,
  });
  config.registerLambdaContext(context);
  const call: IdempotentCall = {
    key: `${scope}\n${headerValue}`,
    payload: createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('base64url'),
  };
  // The stored response is sealed under a key derived from the deployment secret and this
  // Idempotency-Key: the idempotency table never holds an API key, ID or phone number in clear.
  const keys = await deploymentKeys();
  const sealContext = `idempotency/v1\n${call.key}`;
  const idempotent = makeIdempotent(
    async (_call: IdempotentCall) => ({ sealed: keys.seal(sealContext, JSON.stringify(await run())) }),
    { persistenceStore: idempotencyStore(), config },
  );
  try {
    const { sealed } = await idempotent(call);
    return JSON.parse(keys.open(sealContext, sealed)) as RouteResponse;
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw problems.conflict('This Idempotency-Key was already used with a different body.');
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw problems.conflict('A request with this Idempotency-Key is still in progress; retry shortly.');
    }
    throw error;
  }
}

/**
 * Build the Lambda handler of one route group: find the route by API Gateway's `routeKey`,
 * enforce the route table's roles, parse (size, media type, JSON, zod), run, and answer with
 * JSON or problem+json. No input a client can send escapes as a 5xx.
 */
export function httpHandler(fn: HttpFunctionName, impls: Record<string, AnyImpl>) {
  for (const key of Object.keys(impls)) {
    const def = findRoute(key);
    if (!def || def.fn !== fn)
      throw new Error(`${fn}: ${key} is not a route of this function in the route table`);
  }

  const base = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    logger.appendKeys({ requestId, routeKey: event.routeKey });
    metrics.addMetric('Requests', 'Count', 1);
    try {
      if (event.routeKey === defaultRoute.routeKey) throw unmatched(event);
      const def = findRoute(event.routeKey);
      const impl = impls[event.routeKey];
      if (!def || !impl) throw problems.notFound('route');
      const headers = lowerHeaders(event);
      let principal: Principal | undefined;
      if (def.access !== 'public') {
        const ctx = (event.requestContext as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer
          ?.lambda;
        principal = fromAuthorizerContext(ctx);
        if (!principal) throw problems.unauthorized();
        logger.appendKeys({ tenantId: principal.tenantId, keyId: principal.keyId });
        if (!(def.access as readonly string[]).includes(principal.role)) {
          throw problems.forbidden(`The ${principal.role} role may not call ${event.routeKey}.`);
        }
      }
      const rawBody = readBody(event, headers);
      const body = impl.body ? parseWith(impl.body, rawBody ?? {}) : undefined;
      const query =
        'query' in impl && impl.query ? parseWith(impl.query, event.queryStringParameters ?? {}) : {};
      const params = (event.pathParameters ?? {}) as Record<string, string>;
      const req = { principal: principal as Principal, body, query, params, headers, requestId };
      const run = () => (impl as RouteImpl).handle(req);
      const idemKey = headers['idempotency-key'];
      const result =
        def.method === 'POST' && idemKey !== undefined
          ? await runIdempotent(
              `${principal ? `${principal.tenantId}/${principal.keyId}` : 'public'}\n${event.routeKey}\n${event.rawPath}`,
              idemKey,
              rawBody,
              context,
              run,
            )
          : await run();
      return {
        ...jsonResponse(result),
        headers: { ...jsonResponse(result).headers, 'x-request-id': requestId },
      };
    } catch (error) {
      if (error instanceof HttpProblem) {
        metrics.addMetric(error.status >= 500 ? 'ServerErrors' : 'ClientErrors', 'Count', 1);
        if (error.status >= 500) logger.error('request failed', { status: error.status });
        return problemResponse(error, requestId);
      }
      logger.error('unexpected error', error as Error);
      metrics.addMetric('ServerErrors', 'Count', 1);
      return problemResponse(
        new HttpProblem(500, `Something went wrong on our side. Quote request id ${requestId} to support.`),
        requestId,
      );
    }
  };

  return middy(base)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(logMetrics(metrics));
}
