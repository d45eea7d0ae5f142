import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import { serveConsole } from '../../console/serve.js';
import {
  apiThrottle,
  authorizer as authorizerDefinition,
  defaultRoute,
  httpFunctions,
  httpTimeoutSeconds,
  matchRequest,
  type RouteDefinition,
  routeThrottles,
} from '../../shared/app/index.js';
import { HttpProblem } from '../../shared/platform/http/problem.js';
import { routeKeyOf } from '../../shared/platform/http/route.js';
import { lambdaContext, loadHandler } from './handlers.js';
import { RouteThrottles, TokenBucket } from './throttle.js';

interface AuthorizerAnswer {
  isAuthorized?: boolean;
  context?: Record<string, unknown>;
}

/** API Gateway's own payload limit (the functions enforce the contract's 256 KiB). */
const gatewayMaxBody = 10 * 1024 * 1024;

export interface HttpHostOptions {
  port: number;
  host?: string;
  log?: (line: string) => void;
  throttle?: { rateLimit: number; burstLimit: number } | false;
  /** Per-route throttles (default: `routeThrottles` of shared/app; none when `throttle` is false). */
  routeThrottles?: Readonly<Record<string, { rateLimit: number; burstLimit: number }>>;
  /** Serve the web console's build (console/dist) at `/` on the same origin as the API. */
  console?: boolean;
  /** How long the authorizer's answer is cached per key (default: the one definition's TTL). */
  authorizerCacheTtlSeconds?: number;
  /**
   * Every function's deadline multiplied by this (default 1: the deployed timeouts). Test stacks
   * only: DynamoDB Local on two busy cores answers a transaction in up to a second where
   * DynamoDB takes milliseconds.
   */
  timeoutFactor?: number;
}

/**
 * How long an idle keep-alive connection stays open. A client that reuses a connection the
 * server is closing at that very moment gets "other side closed" (seen in the fuzz on a busy
 * machine at Node's default of 5 s: clients drop idle sockets 1 s before the server's hint, on
 * coarse timers that run late under load). A minute keeps that race out of reach.
 */
export const idleConnectionMs = 65_000;

/**
 * The local API Gateway: turns each request into an HTTP API payload 2.0 event, runs the same
 * Lambda authorizer for non-public routes and passes its context on as
 * `requestContext.authorizer.lambda`, then invokes the route's function from the route table.
 */
export class HttpHost {
  private server: Server | undefined;
  private readonly stageBucket: TokenBucket | undefined;
  private readonly authorizerCache = new Map<string, { answer: AuthorizerAnswer; expires: number }>();
  private readonly routeBuckets: RouteThrottles;

  constructor(private readonly options: HttpHostOptions) {
    this.stageBucket =
      options.throttle === false ? undefined : new TokenBucket(options.throttle ?? apiThrottle);
    this.routeBuckets = new RouteThrottles(
      options.routeThrottles ?? (options.throttle === false ? {} : routeThrottles),
    );
  }

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      // The console: its files and the SPA fallback, for GET/HEAD outside /v1 (false: not its request).
      if (this.options.console && serveConsole(req, res)) return;
      this.handle(req, res).catch((error: unknown) => {
        this.options.log?.(`host error: ${(error as Error).message}`);
        if (!res.headersSent) sendProblem(res, new HttpProblem(500, internalError), randomUUID());
      });
    });
    // What Node's HTTP parser refuses before any handler runs is answered as problem+json too.
    this.server.on('clientError', (error: Error & { code?: string }, socket: Duplex) =>
      this.clientError(error, socket),
    );
    this.server.keepAliveTimeout = idleConnectionMs;
    await new Promise<void>((resolveListen, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolveListen());
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  /**
   * A request Node's parser refused (malformed request line, unknown method, headers over
   * `maxHeaderSize`, a request timeout): a raw problem+json answer, then the connection closes —
   * 431 for headers too large, 408 for a timeout, 413 for chunk extensions too large, else 400.
   */
  private clientError(error: Error & { code?: string }, socket: Duplex): void {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || answered.has(socket) || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    const [status, detail] = parserRefusals[error.code ?? ''] ?? [400, 'The request is not valid HTTP/1.1.'];
    const requestId = randomUUID();
    const { headers, body } = problemOf(new HttpProblem(status, detail), requestId);
    const lines = Object.entries({
      ...headers,
      'content-length': String(body.length),
      connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n`),
        body,
      ]),
    );
    // A client that keeps the connection open after the answer is cut off.
    setTimeout(() => socket.destroy(), 1_000).unref();
    this.options.log?.(`(unparseable request: ${error.code ?? 'unknown'}) ${status} ${requestId}`);
  }

  /**
   * The authorizer's answer, cached per Authorization header for the TTL of the one definition —
   * exactly as API Gateway caches it (so revocation and settings changes reach requests within
   * the same delay on both hosts).
   */
  private async authorize(event: APIGatewayProxyEventV2): Promise<AuthorizerAnswer> {
    const identity = event.headers.authorization ?? '';
    const now = Date.now();
    const cached = this.authorizerCache.get(identity);
    if (cached && cached.expires > now) return cached.answer;
    const authorizer = await loadHandler(authorizerDefinition.entry);
    const answer = (await authorizer(
      toAuthorizerEvent(event),
      lambdaContext('authorizer', authorizerDefinition.timeoutSeconds * (this.options.timeoutFactor ?? 1)),
    )) as AuthorizerAnswer;
    if (this.authorizerCache.size > 10_000) this.authorizerCache.clear();
    this.authorizerCache.set(identity, {
      answer,
      expires: now + (this.options.authorizerCacheTtlSeconds ?? authorizerDefinition.cacheTtlSeconds) * 1000,
    });
    return answer;
  }

  /** The stage's token bucket (none when the throttle is off). */
  private takeToken(): boolean {
    return this.stageBucket?.take() ?? true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    let url: URL;
    try {
      const target = req.url ?? '/';
      url = new URL(target, 'http://localhost');
      // A target that parses but starts with `//` is still a path (`//v1/grids`), not a host `v1`.
      if (target.startsWith('//')) url = new URL(`http://localhost${target}`);
    } catch {
      // API Gateway rejects an unparseable request target before any route: a 400, never a 5xx.
      sendProblem(res, new HttpProblem(400, 'The request target is not a valid URL path.'), requestId);
      this.options.log?.(`${req.method} (invalid target) 400 ${requestId}`);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const finish = (status: number) =>
      this.options.log?.(`${method} ${url.pathname} ${status} ${Date.now() - started}ms ${requestId}`);

    if (!this.takeToken()) {
      sendProblem(
        res,
        new HttpProblem(429, 'The API is throttled; retry after a short pause.', {}, { 'retry-after': '1' }),
        requestId,
      );
      return finish(429);
    }

    const tooLarge = new HttpProblem(
      413,
      `The body is over API Gateway's ${gatewayMaxBody} bytes (10 MiB).`,
      {},
      { connection: 'close' },
    );
    if (Number(req.headers['content-length'] ?? 0) > gatewayMaxBody) {
      // Refused on its declared length, without reading it; the connection closes after the answer.
      sendProblem(res, tooLarge, requestId);
      return finish(413);
    }
    const body = await readBody(req, gatewayMaxBody);
    if (body === 'too-large') {
      sendProblem(res, tooLarge, requestId);
      return finish(413);
    }

    const match = matchRequest(method, url.pathname);
    const route: RouteDefinition | undefined = match && 'route' in match ? match.route : undefined;
    const routeKey = route ? routeKeyOf(route) : defaultRoute.routeKey;
    const fn = route ? route.fn : defaultRoute.fn;
    if (!this.routeBuckets.take(routeKey)) {
      // The route's own throttle (RouteSettings on AWS), tighter than the stage's: sign-up.
      sendProblem(
        res,
        new HttpProblem(
          429,
          'This route is throttled; retry after a short pause.',
          {},
          { 'retry-after': '1' },
        ),
        requestId,
      );
      return finish(429);
    }
    const event = toEvent({
      req,
      url,
      method,
      routeKey,
      requestId,
      body,
      pathParameters: match && 'route' in match ? match.pathParameters : undefined,
    });

    if (route && route.access !== 'public') {
      let auth: AuthorizerAnswer;
      try {
        auth = await this.authorize(event);
      } catch {
        sendProblem(res, new HttpProblem(500, internalError), requestId);
        return finish(500);
      }
      if (!auth?.isAuthorized) {
        sendProblem(res, new HttpProblem(403, 'The authorizer refused this request.'), requestId);
        return finish(403);
      }
      (event.requestContext as unknown as Record<string, unknown>).authorizer = {
        lambda: auth.context ?? {},
      };
    }

    const group = httpFunctions.find((f) => f.name === fn);
    if (!group) throw new Error(`no HTTP function ${fn}`);
    const handler = await loadHandler(group.entry);
    let result: APIGatewayProxyStructuredResultV2 | string | undefined;
    try {
      result = await handler(
        event,
        lambdaContext(fn, httpTimeoutSeconds * (this.options.timeoutFactor ?? 1)),
      );
    } catch (error) {
      this.options.log?.(`${fn} threw: ${(error as Error).message}`);
      sendProblem(res, new HttpProblem(500, internalError), requestId);
      return finish(500);
    }
    const out = normalizeResult(result);
    send(
      res,
      out.statusCode ?? 200,
      { ...(out.headers as Record<string, string>), 'apigw-requestid': requestId },
      out.body ?? '',
      out.isBase64Encoded,
    );
    finish(out.statusCode ?? 200);
  }
}

const internalError = 'Something went wrong on our side.';

/** Sockets already answered after a parser error (a second error on one only closes it). */
const answered = new WeakSet<Duplex>();

/** Parser error codes → status and detail (Node's own defaults, as problem+json). */
const parserRefusals: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'The chunk extensions of the body are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time.'],
  HPE_INVALID_METHOD: [400, 'The request method is not one HTTP knows.'],
};

/**
 * A problem+json answer of the host itself, shaped as the functions shape theirs (`requestId`,
 * `x-request-id`); a status the platform has no title for takes HTTP's reason phrase.
 */
function problemOf(
  problem: HttpProblem,
  requestId: string,
): { headers: Record<string, string>; body: Buffer } {
  const base = problem.body();
  const reason = STATUS_CODES[problem.status] ?? 'Error';
  const titled =
    base.title === 'Error' && reason !== 'Error'
      ? {
          ...base,
          type: `https://township-registry.example/problems/${reason.toLowerCase().replaceAll(' ', '-')}`,
          title: reason,
        }
      : base;
  return {
    headers: {
      'content-type': 'application/problem+json',
      'x-request-id': requestId,
      'apigw-requestid': requestId,
      ...problem.headers,
    },
    body: Buffer.from(JSON.stringify({ ...titled, requestId }), 'utf8'),
  };
}

function sendProblem(res: ServerResponse, problem: HttpProblem, requestId: string): void {
  const { headers, body } = problemOf(problem, requestId);
  send(res, problem.status, headers, body.toString('utf8'));
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
  base64 = false,
): void {
  const payload = base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  res.end(payload);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface LocalRequest {
  req: IncomingMessage;
  url: URL;
  method: string;
  routeKey: string;
  requestId: string;
  body: Buffer;
  pathParameters: Record<string, string> | undefined;
}

/** The HTTP API payload 2.0 event API Gateway would send for this request. */
function toEvent({
  req,
  url,
  method,
  routeKey,
  requestId,
  body,
  pathParameters,
}: LocalRequest): APIGatewayProxyEventV2 {
  // As API Gateway does: a header sent twice is one value joined with commas (Node's own
  // `req.headers` would keep only the first Authorization, Content-Type, …), cookies apart.
  // Built as own properties, so a `__proto__` name arrives as a name, as in the JSON event.
  const headerEntries: [string, string][] = [];
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values === undefined) continue;
    if (name === 'cookie') cookies.push(...values.flatMap((v) => v.split(/;\s*/)));
    else headerEntries.push([name, values.join(',')]);
  }
  const headers: Record<string, string> = Object.fromEntries(headerEntries);
  const queryValues = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    const seen = queryValues.get(k);
    queryValues.set(k, seen === undefined ? v : `${seen},${v}`);
  }
  const query: Record<string, string> = Object.fromEntries(queryValues);
  const now = new Date();
  const text = body.length > 0 ? body.toString('utf8') : undefined;
  const isText = text !== undefined && Buffer.from(text, 'utf8').equals(body);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0
      ? { body: isText ? text : body.toString('base64'), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

function toAuthorizerEvent(event: APIGatewayProxyEventV2): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${event.requestContext.http.method}${event.rawPath}`,
    identitySource: event.headers.authorization ? [event.headers.authorization] : [],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies ?? [],
    headers: event.headers as Record<string, string>,
    queryStringParameters: (event.queryStringParameters ?? {}) as Record<string, string>,
    requestContext: event.requestContext,
    pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
    stageVariables: {},
  };
}

/** API Gateway's payload 2.0 response rules: a structured result, or anything else as 200 JSON. */
function normalizeResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result)
    return result as APIGatewayProxyStructuredResultV2;
  if (typeof result === 'string')
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(result ?? null),
  };
}
