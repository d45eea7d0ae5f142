import type { AuthorizerContext } from '../../platform/access/principal.js';
import { toAuthorizerContext } from '../../platform/access/principal.js';
import { logger } from '../../platform/observability.js';
import { findPrincipalBySecret } from './api-keys.js';

const bearer = /^Bearer\s+(trk_[A-Za-z0-9_-]{20,200})\s*$/;

/**
 * What the HTTP API's Lambda authorizer decides for an Authorization header. It always lets the
 * request through to the route's function with a context: the principal, or `refused` — the
 * function then answers 401 as problem+json, which API Gateway's own denial (a bare 403) cannot.
 * Roles and grid scopes are enforced by the function from the route declarations.
 */
export async function authorizeHeader(header: string): Promise<AuthorizerContext> {
  const match = bearer.exec(header);
  if (!match?.[1]) return { refused: 'true', reason: 'missing or malformed key' };
  const principal = await findPrincipalBySecret(match[1]);
  if (!principal) {
    logger.info('api key refused');
    return { refused: 'true', reason: 'unknown or revoked key' };
  }
  logger.appendKeys({ tenantId: principal.tenantId, keyId: principal.keyId });
  return toAuthorizerContext(principal);
}
