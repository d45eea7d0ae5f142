import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { assertInScope } from '../../../platform/access/scope.js';
import { InvalidInput, NotFound, PreconditionFailed } from '../../../platform/errors.js';
import { idPattern, mintId } from '../../../platform/ids.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import { housingAccessRepository } from '../repository/access.js';
import { HouseOccupiedError, houseRepository, StaleHouseError } from '../repository.js';
import {
  createHouse,
  type House,
  HouseRuleError,
  type HouseTransition,
  houseIdPrefix,
} from '../rules/house.js';
import type { HouseBody, HouseView } from '../schemas.js';
import { occupancyOf } from './occupancy.js';
import { housingSettings } from './settings.js';
import { houseAccessOf, houseView } from './view.js';

/** A read that shows houses' contacts' phones raw leaves one access entry per such house shown. */
export async function recordHouseAccess(
  principal: Principal,
  houses: readonly House[],
  seen: { route: string; inList: boolean },
): Promise<void> {
  const entries = houses.flatMap((h) => houseAccessOf(h, { principal, ...seen }) ?? []);
  await housingAccessRepository(principal).record(entries);
}

/** The house, if it exists in this tenant (else 404) and the key's grids cover it (else 403). */
export async function houseInScope(principal: Principal, houseId: string | undefined): Promise<House> {
  if (!houseId || !idPattern.test(houseId)) throw new NotFound('house');
  const house = await houseRepository(principal).get(houseId);
  if (!house) throw new NotFound('house');
  assertInScope(principal, house.gridId, 'see houses of that grid');
  return house;
}

/**
 * Houses as the caller may see them, with their occupants from the counters (one read of their
 * gauge buckets; `occupants` given when the caller knows them already).
 */
export async function viewsOf(
  principal: Principal,
  houses: readonly House[],
  inList: boolean,
  occupants?: ReadonlyMap<string, number>,
): Promise<HouseView[]> {
  if (houses.length === 0) return [];
  const [settings, counted] = await Promise.all([
    housingSettings(principal),
    occupants ?? occupancyOf(principal, houses),
  ]);
  return houses.map((h) =>
    houseView(h, {
      principal,
      inList,
      occupants: counted.get(h.houseId) ?? 0,
      intervals: settings.inspectionIntervalDays,
    }),
  );
}

export const viewOf = async (principal: Principal, house: House, occupants?: number): Promise<HouseView> =>
  (
    await viewsOf(
      principal,
      [house],
      false,
      occupants === undefined ? undefined : new Map([[house.houseId, occupants]]),
    )
  )[0] as HouseView;

/**
 * Record a house (discovered or registered) in one request: the grid must be in the key's
 * scope; the transaction checks that grid and landlord exist and that no house has its plaque.
 */
export async function recordHouse(input: {
  principal: Principal;
  body: HouseBody;
  /** Grids known to exist (a batch reads them once); otherwise the transaction checks. */
  knownGrids?: ReadonlySet<string>;
  /** The route answering with the house (its access entry is written with the house; none without). */
  route?: string;
}): Promise<House> {
  const { principal, body, knownGrids, route } = input;
  assertInScope(principal, body.gridId, 'record houses in that grid');
  if (knownGrids && !knownGrids.has(body.gridId))
    throw InvalidInput.field('gridId', 'no such grid in this township');
  const transition = createHouse(
    body,
    mintId(houseIdPrefix),
    workspaceOf(principal).today,
    new Date().toISOString(),
  );
  const access = route && houseAccessOf(transition.house, { principal, route, inList: false });
  return houseRepository(principal).create({
    transition,
    actor: actorOf(principal),
    gridKnown: knownGrids !== undefined,
    ...(access ? { access } : {}),
  });
}

export interface HouseChangeRequest {
  principal: Principal;
  houseId: string | undefined;
  /** The version If-Match names, if any. */
  expectedVersion: number | undefined;
  step: (h: House, today: string) => HouseTransition;
  /** Checked after the step, before the write (a closure: nobody may live there). */
  before?: (tr: HouseTransition) => Promise<void>;
  /** Extra attributes of the history event. */
  extra?: Record<string, unknown>;
  /**
   * The route answering with the house: its access entry (if the answer shows the contacts'
   * phones raw) is written in the change's transaction, or on its own when nothing changes
   * (without a route nothing is answered: none).
   */
  route?: string;
}

/**
 * Read-modify-write of one house under optimistic concurrency. With If-Match the caller's
 * version must be current (412). Without it, a concurrent change is retried on the fresh state a
 * few times — never silently overwritten.
 */
export async function changeHouse(request: HouseChangeRequest): Promise<House> {
  const { principal, houseId, expectedVersion: expected, step, before, extra, route } = request;
  const today = workspaceOf(principal).today;
  for (let attempt = 0; ; attempt++) {
    const current = await houseInScope(principal, houseId);
    if (expected !== undefined && current.version !== expected) throw new PreconditionFailed(current.version);
    try {
      const transition = step(current, today);
      await before?.(transition);
      const access = route && houseAccessOf(transition.house, { principal, route, inList: false });
      return await houseRepository(principal).apply({
        transition,
        fromVersion: current.version,
        previous: current,
        actor: actorOf(principal),
        ...(extra ? { extra } : {}),
        ...(access ? { access } : {}),
      });
    } catch (error) {
      // Nothing would change (e.g. a retried PATCH): answer the house as it is, writing nothing
      // but the answer's access entry (it shows the house as any answer does).
      if (error instanceof HouseRuleError && error.code === 'nothing-to-change') {
        if (route) await recordHouseAccess(principal, [current], { route, inList: false });
        return current;
      }
      if (error instanceof StaleHouseError && error.current !== undefined) {
        if (expected !== undefined && error.current.version !== expected) {
          throw new PreconditionFailed(error.current.version);
        }
        if (attempt < 3) continue;
      }
      throw error;
    }
  }
}

/** At most this many occupants are counted when a closure is refused. */
const occupantsCounted = 100;

/** A house closes only when nobody lives there (its occupants partition, read before the write). */
export async function assertUnoccupied(principal: Principal, houseId: string): Promise<void> {
  const { count, atLeast } = await houseRepository(principal).occupantCount(houseId, occupantsCounted);
  if (count > 0 || atLeast) throw new HouseOccupiedError(count, atLeast);
}
