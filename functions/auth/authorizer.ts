import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { type AuthorizerContext, toAuthorizerContext } from '../../shared/http/principal.js';
import { logger } from '../../shared/observability.js';
import { findPrincipalBySecret } from '../../shared/table/tenants.js';

const bearer = /^Bearer\s+(trk_[A-Za-z0-9_-]{20,200})\s*$/;

/**
 * HTTP API Lambda authorizer (REQUEST, simple responses). It always lets the request through to
 * the route's function with a context: the principal, or `refused` — the function then answers
 * 401 as problem+json, which API Gateway's own denial (a bare 403) cannot. Roles and grid scopes
 * are enforced by the function from the route table.
 */
export const authorize = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> => {
  const header =
    event.headers?.authorization ?? event.headers?.Authorization ?? event.identitySource?.[0] ?? '';
  const match = bearer.exec(header);
  if (!match?.[1])
    return { isAuthorized: true, context: { refused: 'true', reason: 'missing or malformed key' } };
  const principal = await findPrincipalBySecret(match[1]);
  if (!principal) {
    logger.info('api key refused');
    return { isAuthorized: true, context: { refused: 'true', reason: 'unknown or revoked key' } };
  }
  logger.appendKeys({ tenantId: principal.tenantId, keyId: principal.keyId });
  return { isAuthorized: true, context: toAuthorizerContext(principal) };
};

export const handler = middy(authorize).use(
  injectLambdaContext(logger, { resetKeys: true, logEvent: false }),
);
