import type { Principal } from '../../../platform/access/principal.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { NotFound } from '../../../platform/errors.js';
import { idPattern } from '../../../platform/ids.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import { apiKeyRepository } from '../../tenants/api-keys.js';
import { accessLogRepository } from '../repository/access-log.js';
import { personInScope } from './change.js';

interface PageQuery {
  limit: number;
  cursor?: string;
}

/** One page of a person's access log (admins), newest first. */
export async function accessLogOfPerson(
  principal: Principal,
  personId: string | undefined,
  query: PageQuery,
) {
  const person = await personInScope(principal, personId);
  const secret = await deploymentSecret();
  const q = `access:person:${person.personId}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const page = await accessLogRepository(principal).pageOfPerson({
    personId: person.personId,
    limit: query.limit,
    ...(afterSk ? { afterSk } : {}),
  });
  return {
    items: page.entries,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/** One page of what one API key saw (admins), newest first; an unknown key is 404. */
export async function accessLogOfKey(principal: Principal, keyId: string | undefined, query: PageQuery) {
  if (!keyId || !idPattern.test(keyId)) throw new NotFound('API key');
  const secret = await deploymentSecret();
  const q = `access:key:${keyId}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const page = await accessLogRepository(principal).pageOfKey({
    keyId,
    limit: query.limit,
    ...(afterSk ? { afterSk } : {}),
  });
  // An empty first page: is there such a key at all?
  if (!afterSk && page.entries.length === 0 && !(await apiKeyRepository(principal).get(keyId))) {
    throw new NotFound('API key');
  }
  return {
    items: page.entries,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}
