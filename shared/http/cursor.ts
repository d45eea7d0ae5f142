import type { DeploymentKeys } from '../secrets.js';
import { problems } from './problem.js';

/**
 * Opaque list cursors: the position plus what was asked, bound to the tenant and signed with
 * the deployment secret. A cursor from another tenant, another query or a forged one is a 400.
 */
export function encodeCursor(
  keys: DeploymentKeys,
  tenantId: string,
  query: string,
  position: unknown,
): string {
  const payload = Buffer.from(JSON.stringify({ t: tenantId, q: query, p: position })).toString('base64url');
  return `${payload}.${keys.sign(payload)}`;
}

export function decodeCursor<T>(keys: DeploymentKeys, tenantId: string, query: string, cursor: string): T {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined || !keys.verify(payload, signature)) {
    throw problems.field('cursor', 'is not a cursor this API issued');
  }
  let decoded: { t?: string; q?: string; p?: T };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw problems.field('cursor', 'is not a cursor this API issued');
  }
  if (decoded.t !== tenantId) throw problems.field('cursor', 'is not a cursor this API issued');
  if (decoded.q !== query) throw problems.field('cursor', 'belongs to a different query');
  return decoded.p as T;
}
