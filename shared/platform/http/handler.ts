import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fromAuthorizerContext, type Principal, refusalDetail } from '../access/principal.js';
import { logger, metrics, tracer } from '../observability.js';
import { idempotencyScope, runIdempotent } from './idempotency.js';
import { type FieldError, HttpProblem, type ProblemMapper, problems, toProblem } from './problem.js';
import {
  forbiddenQueryNames,
  isRepeatedAuthorization,
  lowerHeaders,
  parseWith,
  readBody,
  unknownKeyMessage,
} from './request.js';
import { jsonResponse, problemResponse } from './response.js';
import { type AnyRouteImplementation, type RouteResponse, routeKeyOf } from './route.js';

/** API Gateway's route key for requests that match no route. */
export const defaultRouteKey = '$default';

export interface HttpHandlerOptions {
  /** The routes this function serves (one module's HTTP group). */
  routes: readonly AnyRouteImplementation[];
  /** The module's mapping of its own domain errors to problem+json. */
  problems?: ProblemMapper;
  /** Only the function serving `$default`: the answer for a request that matched no route. */
  unmatched?: (event: APIGatewayProxyEventV2) => HttpProblem;
}

/**
 * Build the Lambda handler of one route group: find the route by API Gateway's `routeKey`,
 * enforce the declaration's roles, parse (size, media type, JSON, zod), run, and answer with
 * JSON or problem+json. No input a client can send escapes as a 5xx.
 */
export function httpHandler(options: HttpHandlerOptions) {
  const byKey = new Map(options.routes.map((r) => [routeKeyOf(r.declaration), r]));

  const base = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    logger.appendKeys({ requestId, routeKey: event.routeKey });
    metrics.addMetric('Requests', 'Count', 1);
    let queryNames: ReadonlySet<string> = new Set();
    try {
      const headers = lowerHeaders(event);
      // Before anything else, on every route: a request with two Authorization headers (API
      // Gateway and the local host join them with a comma) is refused, whichever would win.
      if (headers.authorization !== undefined && isRepeatedAuthorization(headers.authorization)) {
        throw problems.field('Authorization', 'send one Authorization header, not two');
      }
      const forbidden = forbiddenQueryNames(event);
      if (forbidden.length > 0) {
        throw problems.validation(
          forbidden.map((name) => ({ path: 'query', message: unknownKeyMessage(name) })),
        );
      }
      if (event.routeKey === defaultRouteKey && options.unmatched) throw options.unmatched(event);
      const impl = byKey.get(event.routeKey);
      if (!impl) throw problems.notFound('route');
      const def = impl.declaration;
      let principal: Principal | undefined;
      if (def.access !== 'public') {
        const ctx = (event.requestContext as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer
          ?.lambda;
        principal = fromAuthorizerContext(ctx);
        if (!principal) throw problems.unauthorized(refusalDetail(ctx));
        logger.appendKeys({ tenantId: principal.tenantId, keyId: principal.keyId });
        if (!def.access.includes(principal.role)) {
          throw problems.forbidden(`The ${principal.role} role may not call ${event.routeKey}.`);
        }
      }
      const rawBody = readBody(event, headers);
      const body = def.body ? parseWith(def.body, rawBody ?? {}) : undefined;
      // Query errors are named `query.<parameter>`, never as if the parameter were in the body.
      const query = def.query ? parseWith(def.query, event.queryStringParameters ?? {}, 'query') : {};
      // A route without a body can only be wrong about its query: a use case's field error on a
      // parameter that was sent (a cursor of another query, say) is named under `query` too.
      if (!def.body)
        queryNames = new Set([...Object.keys(event.queryStringParameters ?? {}), ...Object.keys(query)]);
      const params = (event.pathParameters ?? {}) as Record<string, string>;
      const req = { principal: principal as Principal, body, query, params, headers, requestId };
      const run = async (): Promise<RouteResponse> => {
        const out = await impl.handle(req);
        return { ...out, status: out.status ?? def.status ?? 200 };
      };
      const idemKey = headers['idempotency-key'];
      const result =
        def.method === 'POST' && idemKey !== undefined
          ? await runIdempotent({
              // Bound to the matched route and its path parameters, not to the path's spelling.
              scope: idempotencyScope(
                principal ? `${principal.tenantId}/${principal.keyId}` : 'public',
                event.routeKey,
                params,
              ),
              headerValue: idemKey,
              body: rawBody,
              context,
              run,
            })
          : await run();
      return jsonResponse({ ...result, status: result.status ?? 200 }, requestId);
    } catch (error) {
      const mapped = toProblem(error, options.problems);
      const problem = mapped && queryNames.size > 0 ? underQuery(mapped, queryNames) : mapped;
      if (problem) {
        metrics.addMetric(problem.status >= 500 ? 'ServerErrors' : 'ClientErrors', 'Count', 1);
        if (problem.status >= 500) logger.error('request failed', { status: problem.status });
        return problemResponse(problem, requestId);
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

/** A problem whose field errors name query parameters, renamed `query.<parameter>`. */
function underQuery(problem: HttpProblem, names: ReadonlySet<string>): HttpProblem {
  const errors = problem.extensions.errors;
  if (!errors?.some((e) => names.has(e.path.split('.')[0] ?? ''))) return problem;
  let detail = problem.detail;
  const renamed: FieldError[] = errors.map((e) => {
    if (!names.has(e.path.split('.')[0] ?? '')) return e;
    const path = `query.${e.path}`;
    if (detail?.startsWith(`${e.path}:`)) detail = `${path}${detail.slice(e.path.length)}`;
    return { ...e, path };
  });
  return new HttpProblem(problem.status, detail, { ...problem.extensions, errors: renamed }, problem.headers);
}
