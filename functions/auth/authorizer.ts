import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { authorizeHeader } from '../../shared/modules/tenants/authorize.js';
import type { AuthorizerContext } from '../../shared/platform/access/principal.js';
import { logger } from '../../shared/platform/observability.js';

/** HTTP API Lambda authorizer (REQUEST, simple responses): see shared/modules/tenants/authorize.ts. */
export const authorize = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> => {
  const header =
    event.headers?.authorization ?? event.headers?.Authorization ?? event.identitySource?.[0] ?? '';
  return { isAuthorized: true, context: await authorizeHeader(header) };
};

export const handler = middy(authorize).use(
  injectLambdaContext(logger, { resetKeys: true, logEvent: false }),
);
