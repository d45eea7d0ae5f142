import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { NotFound, PreconditionFailed } from '../../../platform/errors.js';
import { idPattern, mintId } from '../../../platform/ids.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import { housingAccessRepository } from '../repository/access.js';
import { landlordRepository, StaleLandlordError } from '../repository.js';
import { landlordIdPrefix } from '../rules/house.js';
import {
  createLandlord,
  type Landlord,
  type LandlordChanges,
  type LandlordInput,
  LandlordRuleError,
  landlordIdentifier,
  updateLandlord,
} from '../rules/landlord.js';
import { landlordAccessOf } from './view.js';

/** The keyed hash the identity guard is keyed by (docs/housing.md: `'L:' + identifier`). */
async function identityHashOf(principal: Principal, l: Landlord): Promise<string> {
  return (await deploymentSecret()).idNumberHash(principal.tenantId, `L:${landlordIdentifier(l)}`);
}

/**
 * Record a landlord: one transaction, a duplicate identifier is refused naming the landlord. The
 * answer shows the landlord (`route` answering it): its access entry is in the transaction (no
 * route, no answer: none).
 */
export async function recordLandlord(
  principal: Principal,
  input: LandlordInput,
  route?: string,
): Promise<Landlord> {
  const transition = createLandlord(
    input,
    mintId(landlordIdPrefix),
    workspaceOf(principal).today,
    new Date().toISOString(),
  );
  const access = route && landlordAccessOf(transition.landlord, { principal, route, inList: false });
  return landlordRepository(principal).create({
    transition,
    identityHash: await identityHashOf(principal, transition.landlord),
    actor: actorOf(principal),
    ...(access ? { access } : {}),
  });
}

/** A read that shows landlords raw leaves one access entry per landlord shown (viewers: none). */
export async function recordLandlordAccess(
  principal: Principal,
  landlords: readonly Pick<Landlord, 'landlordId' | 'kind'>[],
  seen: { route: string; inList: boolean },
): Promise<void> {
  const entries = landlords.flatMap((l) => landlordAccessOf(l, { principal, ...seen }) ?? []);
  await housingAccessRepository(principal).record(entries);
}

/** A landlord of this tenant (landlords belong to the township, not to a grid), else 404. */
export async function landlordOf(principal: Principal, landlordId: string | undefined) {
  if (!landlordId || !idPattern.test(landlordId)) throw new NotFound('landlord');
  const landlord = await landlordRepository(principal).get(landlordId);
  if (!landlord) throw new NotFound('landlord');
  return landlord;
}

/**
 * Change a landlord's details under optimistic concurrency (If-Match → 412), like a house. The
 * answer shows the landlord (`route` answering it): its access entry is written in the change's
 * transaction — or, when nothing changes (the landlord answered as it is), on its own (no route,
 * no answer: none).
 */
export async function changeLandlord(request: {
  principal: Principal;
  landlordId: string | undefined;
  expectedVersion: number | undefined;
  changes: LandlordChanges;
  route?: string;
}): Promise<Landlord> {
  const { principal, landlordId, expectedVersion: expected, changes, route } = request;
  for (let attempt = 0; ; attempt++) {
    const current = await landlordOf(principal, landlordId);
    if (expected !== undefined && current.version !== expected) throw new PreconditionFailed(current.version);
    try {
      const { identityHash, ...landlord } = current;
      const transition = updateLandlord(landlord as Landlord, changes, new Date().toISOString());
      const access = route && landlordAccessOf(transition.landlord, { principal, route, inList: false });
      return await landlordRepository(principal).apply({
        transition,
        fromVersion: current.version,
        identityHash,
        actor: actorOf(principal),
        ...(access ? { access } : {}),
      });
    } catch (error) {
      if (error instanceof LandlordRuleError && error.code === 'nothing-to-change') {
        const { identityHash: _hash, ...landlord } = current;
        if (route) await recordLandlordAccess(principal, [landlord as Landlord], { route, inList: false });
        return landlord as Landlord;
      }
      if (error instanceof StaleLandlordError && error.current !== undefined) {
        if (expected !== undefined && error.current.version !== expected) {
          throw new PreconditionFailed(error.current.version);
        }
        if (attempt < 3) continue;
      }
      throw error;
    }
  }
}

/**
 * A page of the township's landlords, oldest first; with `q`, only those whose name starts with
 * it (names are not in any index: a page is filtered after it is read, and may hold fewer than
 * `limit` — follow `nextCursor`).
 */
export async function listLandlords(
  principal: Principal,
  query: { q?: string; limit: number; cursor?: string },
): Promise<{ landlords: Landlord[]; nextCursor: string | null }> {
  const secret = await deploymentSecret();
  const q = `landlords:${query.q ?? ''}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const page = await landlordRepository(principal).page({
    limit: query.limit,
    ...(afterSk !== undefined ? { afterSk } : {}),
  });
  const prefix = query.q?.toLocaleLowerCase();
  return {
    landlords: prefix
      ? page.landlords.filter((l) => l.name.toLocaleLowerCase().startsWith(prefix))
      : page.landlords,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}
