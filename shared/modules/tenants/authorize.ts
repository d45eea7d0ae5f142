import type { AuthorizerContext } from '../../platform/access/principal.js';
import { toAuthorizerContext } from '../../platform/access/principal.js';
import { logger } from '../../platform/observability.js';
import { findPrincipalBySecret } from './api-keys.js';

/** `Bearer <key>`, the scheme in any letter case (RFC 9110: schemes are case-insensitive). */
const bearer = /^\s*[Bb][Ee][Aa][Rr][Ee][Rr]\s+(trk_[A-Za-z0-9_-]{20,200})\s*$/;

/**
 * What the HTTP API's Lambda authorizer decides for an Authorization header. It always lets the
 * request through to the route's function with a context: the principal, or `refused` with the
 * reason — the function then answers 401 as problem+json saying which (API Gateway's own denial
 * would be a bare 403). Roles and grid scopes are enforced by the function.
 */
export async function authorizeHeader(header: string): Promise<AuthorizerContext> {
  if (header.trim() === '') return { refused: 'true', reason: 'missing' };
  const match = bearer.exec(header);
  if (!match?.[1]) return { refused: 'true', reason: 'malformed' };
  const found = await findPrincipalBySecret(match[1]);
  if ('refused' in found) {
    logger.info('api key refused', { reason: found.refused });
    return { refused: 'true', reason: found.refused };
  }
  logger.appendKeys({ tenantId: found.principal.tenantId, keyId: found.principal.keyId });
  return toAuthorizerContext(found.principal);
}
