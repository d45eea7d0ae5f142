import { LifecycleError, type Person, type Transition } from '../domain/person.js';
import { inScope, type Principal } from '../http/principal.js';
import { problems } from '../http/problem.js';
import { entityId } from '../http/schemas.js';
import { gridRepository } from '../table/grids.js';
import { personRepository, StaleWriteError } from '../table/people.js';
import { actorOf, lifecycleProblem, tenantOf } from './service.js';

/** Changing one registration: scope checks and optimistic concurrency, shared by the routes. */

/** The person, if it exists in this tenant (else 404) and the key's grids cover it (else 403). */
export async function personInScope(principal: Principal, personId: string | undefined) {
  if (!personId || !entityId.safeParse(personId).success) throw problems.notFound('person');
  const person = await personRepository(principal).get(personId);
  if (!person) throw problems.notFound('person');
  if (!inScope(principal, person.gridId)) throw problems.forbidden('This key is limited to other grids.');
  return person;
}

/**
 * Read-modify-write of one active person under optimistic concurrency. With If-Match the
 * caller's version must be current (412). Without it, a concurrent change is retried on the
 * fresh state a few times — never silently overwritten.
 */
export async function change(
  principal: Principal,
  personId: string | undefined,
  expected: number | undefined,
  step: (p: Person, today: string) => Promise<Transition> | Transition,
  extra: (tr: Transition) => Record<string, unknown> = () => ({}),
): Promise<Person> {
  const tenant = await tenantOf(principal);
  for (let attempt = 0; ; attempt++) {
    const current = await personInScope(principal, personId);
    if (expected !== undefined && current.version !== expected)
      throw problems.preconditionFailed(current.version);
    try {
      const tr = await step(current, tenant.today);
      return await personRepository(principal).apply(
        tr,
        current.version,
        current.idHash,
        actorOf(principal),
        extra(tr),
      );
    } catch (error) {
      // Nothing would change (e.g. a retried PATCH): answer the person as it is, write nothing.
      if (error instanceof LifecycleError && error.code === 'nothing-to-change') return current;
      if (error instanceof StaleWriteError && error.current?.status === 'active') {
        // With If-Match, a different version now is a 412; the same version means the write only
        // lost a race for the item (or a no-op change), so it is tried again like any other.
        if (expected !== undefined && error.current.version !== expected) {
          throw problems.preconditionFailed(error.current.version);
        }
        if (attempt < 3) continue;
      }
      lifecycleProblem(error);
    }
  }
}

export async function gridMustExist(principal: Principal, gridId: string | undefined): Promise<void> {
  if (gridId === undefined) return;
  if (!inScope(principal, gridId)) throw problems.forbidden('This key may not move people into that grid.');
  if (!(await gridRepository(principal).get(gridId)))
    throw problems.field('gridId', 'no such grid in this township');
}
