import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { deploymentSecret } from '../secrets.js';
import { dynamoClient, idempotencyTableName } from '../table/client.js';
import { problems } from './problem.js';
import type { RouteResponse } from './route.js';

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

export interface IdempotentRun {
  /** Who holds the key and what it is for (`idempotencyScope`); `public…` for routes anyone may call. */
  scope: string;
  /** The Idempotency-Key header as sent. */
  headerValue: string;
  body: unknown;
  context: Context;
  run: () => Promise<RouteResponse>;
}

/**
 * What an Idempotency-Key is bound to: who holds it (`<tenantId>/<keyId>`, or `public`), the
 * matched route (API Gateway's route key, e.g. `POST /v1/people/{personId}/verifications`) and
 * that route's path parameters in a canonical order — never the raw path, so `/v1/grids`,
 * `/v1/grids/` and `/v1//grids` are one scope, and `…/p_1/…` and `…/p_2/…` are two.
 */
export function idempotencyScope(
  owner: string,
  routeKey: string,
  pathParameters: Readonly<Record<string, string | undefined>> = {},
): string {
  const params = Object.entries(pathParameters)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${owner}\n${routeKey}\n${JSON.stringify(params)}`;
}

/**
 * Run one POST under an Idempotency-Key: the same key + same body within 24 h returns the first
 * response and writes nothing; the same key with another body (or while the first is still
 * running) is a 409. Keys are scoped to the API key (or to sign-up), the route and its path
 * parameters (`idempotencyScope`).
 */
export async function runIdempotent(call: IdempotentRun): Promise<RouteResponse> {
  const { scope, headerValue, body, context, run } = call;
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
  const stored: IdempotentCall = {
    key: `${scope}\n${headerValue}`,
    payload: createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('base64url'),
  };
  // The stored response is sealed under a key derived from the deployment secret and this
  // Idempotency-Key: the idempotency table never holds an API key, ID or phone number in clear.
  const secret = await deploymentSecret();
  const sealContext = `idempotency/v1\n${stored.key}`;
  const idempotent = makeIdempotent(
    async (_call: IdempotentCall) => ({ sealed: secret.seal(sealContext, JSON.stringify(await run())) }),
    { persistenceStore: idempotencyStore(), config },
  );
  try {
    const { sealed } = await idempotent(stored);
    return JSON.parse(secret.open(sealContext, sealed)) as RouteResponse;
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
