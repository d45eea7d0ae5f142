import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { assertInScope } from '../../../platform/access/scope.js';
import { NotFound, PreconditionFailed } from '../../../platform/errors.js';
import { idPattern } from '../../../platform/ids.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import { accessLogRepository } from '../repository/access-log.js';
import { personRepository, StaleWriteError } from '../repository.js';
import { LifecycleError, type Person, type Transition } from '../rules/person.js';
import { accessOf } from './view.js';

/** The person, if it exists in this tenant (else 404) and the key's grids cover it (else 403). */
export async function personInScope(principal: Principal, personId: string | undefined) {
  if (!personId || !idPattern.test(personId)) throw new NotFound('person');
  const person = await personRepository(principal).get(personId);
  if (!person) throw new NotFound('person');
  assertInScope(principal, person.gridId, 'see people of that grid');
  return person;
}

/**
 * A person may be moved only into a grid inside the key's scope (checked here) that exists
 * (checked by the write's own transaction).
 */
export function mayMoveInto(principal: Principal, gridId: string | undefined): void {
  if (gridId !== undefined) assertInScope(principal, gridId, 'move people into that grid');
}

export interface PersonChangeRequest {
  principal: Principal;
  personId: string | undefined;
  /** The version If-Match names, if any. */
  expectedVersion: number | undefined;
  step: (p: Person, today: string) => Promise<Transition> | Transition;
  /** Extra attributes of the history event. */
  extra?: (tr: Transition) => Record<string, unknown>;
  /** The route answering (its access entry is written with the change). */
  route: string;
}

/** The grid a transition moves the person into, if it does. */
const movedInto = (from: Person, tr: Transition): string | undefined =>
  tr.person.gridId !== from.gridId ? tr.person.gridId : undefined;

/**
 * The house a transition moves the person into, if it does — also the same house named again
 * with a new grid (refused by the check: a house never moves grids). Staying in one's house is
 * not checked: a ban or closure writes nothing to the people already living there.
 */
const movedIntoHouse = (from: Person, tr: Transition): string | undefined => {
  const { houseId, gridId } = tr.person;
  return houseId !== null && (houseId !== from.houseId || gridId !== from.gridId) ? houseId : undefined;
};

/**
 * Read-modify-write of one active person under optimistic concurrency. With If-Match the
 * caller's version must be current (412). Without it, a concurrent change is retried on the
 * fresh state a few times — never silently overwritten.
 */
export async function changePerson(request: PersonChangeRequest): Promise<Person> {
  const { principal, personId, expectedVersion: expected, step, extra = () => ({}), route } = request;
  const workspace = workspaceOf(principal);
  for (let attempt = 0; ; attempt++) {
    const current = await personInScope(principal, personId);
    if (expected !== undefined && current.version !== expected) throw new PreconditionFailed(current.version);
    try {
      const transition = await step(current, workspace.today);
      return await personRepository(principal).apply({
        transition,
        fromVersion: current.version,
        idHash: current.idHash,
        actor: actorOf(principal),
        extra: extra(transition),
        movesInto: movedInto(current, transition),
        movesIntoHouse: movedIntoHouse(current, transition),
        access: accessOf(transition.person, {
          principal,
          route,
          inList: false,
          at: transition.person.updatedAt,
        }),
      });
    } catch (error) {
      // Nothing would change (e.g. a retried PATCH): answer the person as it is, write nothing
      // but the access entry of the raw identifiers that answer shows.
      if (error instanceof LifecycleError && error.code === 'nothing-to-change') {
        const access = accessOf(current, { principal, route, inList: false });
        if (access) await accessLogRepository(principal).record([access]);
        return current;
      }
      if (error instanceof StaleWriteError && error.current?.status === 'active') {
        // With If-Match, a different version now is a 412; the same version means the write only
        // lost a race for the item (or a no-op change), so it is tried again like any other.
        if (expected !== undefined && error.current.version !== expected) {
          throw new PreconditionFailed(error.current.version);
        }
        if (attempt < 3) continue;
      }
      throw error;
    }
  }
}
