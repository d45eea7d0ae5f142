import type { Principal } from '../../../platform/access/principal.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import type { SubjectAccessEntry } from '../../people/repository/access-log.js';
import { housingAccessRepository } from '../repository/access.js';
import { houseInScope } from './houses.js';
import { landlordOf } from './landlords.js';

interface PageQuery {
  limit: number;
  cursor?: string;
}

/** One page of a subject's access log, newest first (cursors bound to the tenant and the subject). */
async function pageOf(principal: Principal, subject: SubjectAccessEntry['subject'], query: PageQuery) {
  const secret = await deploymentSecret();
  const q =
    subject.kind === 'landlord' ? `access:landlord:${subject.landlordId}` : `access:house:${subject.houseId}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const page = await housingAccessRepository(principal).pageOf({
    subject,
    limit: query.limit,
    ...(afterSk ? { afterSk } : {}),
  });
  return {
    items: page.entries,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/** Who saw this landlord's raw ID number or phone (admins): a landlord of this tenant, else 404. */
export async function accessLogOfLandlord(
  principal: Principal,
  landlordId: string | undefined,
  query: PageQuery,
) {
  const landlord = await landlordOf(principal, landlordId);
  return pageOf(principal, { kind: 'landlord', landlordId: landlord.landlordId }, query);
}

/** Who saw this house's caretaker's or security responsible's raw phone (admins). */
export async function accessLogOfHouse(principal: Principal, houseId: string | undefined, query: PageQuery) {
  const house = await houseInScope(principal, houseId);
  return pageOf(principal, { kind: 'house', houseId: house.houseId }, query);
}
