import { InvalidInput } from './errors.js';
import type { DeploymentSecret } from './secrets.js';

/**
 * Opaque list cursors: the position plus what was asked, bound to the tenant and signed with
 * the deployment secret. A cursor from another tenant, another query or a forged one is a 400.
 */
export function encodeCursor(
  secret: DeploymentSecret,
  tenantId: string,
  query: string,
  position: unknown,
): string {
  const payload = Buffer.from(JSON.stringify({ t: tenantId, q: query, p: position })).toString('base64url');
  return `${payload}.${secret.sign(payload)}`;
}

const notOurs = () => InvalidInput.field('cursor', 'is not a cursor this API issued');

export function decodeCursor<T>(
  secret: DeploymentSecret,
  tenantId: string,
  query: string,
  cursor: string,
): T {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined || !secret.verify(payload, signature)) throw notOurs();
  let decoded: { t?: string; q?: string; p?: T };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw notOurs();
  }
  if (decoded.t !== tenantId) throw notOurs();
  if (decoded.q !== query) throw InvalidInput.field('cursor', 'belongs to a different query');
  return decoded.p as T;
}
