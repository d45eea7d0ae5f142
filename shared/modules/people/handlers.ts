import type { Principal } from '../../platform/access/principal.js';
import { toProblem } from '../../platform/http/problem.js';
import { etag, ifMatch } from '../../platform/http/request.js';
import { implement, routeKeyOf } from '../../platform/http/route.js';
import { workspaceOf } from '../tenants/use-cases.js';
import { peopleProblem } from './errors.js';
import { accessLogRepository } from './repository/access-log.js';
import { personRepository } from './repository.js';
import { peopleRoutes as routes } from './routes.js';
import { depart, type Person, update, verify } from './rules/person.js';
import { accessLogOfKey, accessLogOfPerson } from './use-cases/access-log.js';
import { registerBatch } from './use-cases/batch.js';
import { changePerson, mayMoveInto, personInScope } from './use-cases/change.js';
import { listByIdNumber, listDue, listOccupants, listPeople } from './use-cases/listing.js';
import { registerArrival } from './use-cases/register.js';
import { accessOf, personView } from './use-cases/view.js';

const now = () => new Date().toISOString();

/** A read that shows people's raw identifiers leaves one access entry per person shown. */
async function recordAccess(
  principal: Principal,
  people: readonly Person[],
  seen: { route: string; inList: boolean },
): Promise<void> {
  const entries = people.flatMap((p) => accessOf(p, { principal, ...seen }) ?? []);
  if (entries.length > 0) await accessLogRepository(principal).record(entries);
}

export const peopleHandlers = [
  implement(routes.register, async ({ principal, body }) => {
    const person = await registerArrival({
      principal,
      workspace: workspaceOf(principal),
      body,
      route: routeKeyOf(routes.register),
    });
    return { body: personView(person, principal, false), headers: etag(person) };
  }),

  implement(routes.batch, async ({ principal, body }) => {
    const isClientError = (error: unknown) => (toProblem(error, peopleProblem)?.status ?? 500) < 500;
    const outcomes = await registerBatch({ principal, items: body.items, isClientError });
    const results = outcomes.map((outcome) => {
      if ('person' in outcome) return { status: 201, person: personView(outcome.person, principal, false) };
      if ('failed' in outcome) {
        return { status: 503, errors: [{ path: '', message: 'temporarily failed; send this item again' }] };
      }
      const problem = toProblem(outcome.error, peopleProblem);
      const detail = problem?.body();
      return {
        status: problem?.status ?? 500,
        errors: detail?.errors ?? [{ path: '', message: detail?.detail ?? detail?.title ?? 'failed' }],
        ...(typeof detail?.personId === 'string' ? { personId: detail.personId } : {}),
      };
    });
    return { body: { results } };
  }),

  implement(routes.list, async ({ principal, query }) => {
    const page =
      query.houseId !== undefined
        ? await listOccupants(principal, { ...query, houseId: query.houseId })
        : query.idNumber !== undefined
          ? await listByIdNumber(principal, { ...query, idNumber: query.idNumber })
          : await listPeople(principal, query);
    await recordAccess(principal, page.people, { route: routeKeyOf(routes.list), inList: true });
    return {
      body: { items: page.people.map((p) => personView(p, principal, true)), nextCursor: page.nextCursor },
    };
  }),

  implement(routes.due, async ({ principal, query }) => {
    const page = await listDue(principal, query);
    await recordAccess(principal, page.people, { route: routeKeyOf(routes.due), inList: true });
    return {
      body: { items: page.people.map((p) => personView(p, principal, true)), nextCursor: page.nextCursor },
    };
  }),

  implement(routes.get, async ({ principal, params }) => {
    const person = await personInScope(principal, params.personId);
    await recordAccess(principal, [person], { route: routeKeyOf(routes.get), inList: false });
    return { body: personView(person, principal, false), headers: etag(person) };
  }),

  implement(routes.update, async ({ principal, params, body, headers }) => {
    const person = await changePerson({
      principal,
      personId: params.personId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.update),
      step: (p) => {
        mayMoveInto(principal, body.gridId);
        return update(p, body, now());
      },
    });
    return { body: personView(person, principal, false), headers: etag(person) };
  }),

  implement(routes.verify, async ({ principal, params, body, headers }) => {
    const person = await changePerson({
      principal,
      personId: params.personId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.verify),
      step: (p, today) => {
        const transition = verify(p, body, today, now());
        mayMoveInto(principal, body.gridId);
        return transition;
      },
      extra: () => ({ verifiedOn: body.verifiedOn, outcome: body.outcome }),
    });
    return { body: personView(person, principal, false), headers: etag(person) };
  }),

  implement(routes.depart, async ({ principal, params, body, headers }) => {
    const person = await changePerson({
      principal,
      personId: params.personId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.depart),
      step: (p, today) => depart(p, body, today, now()),
    });
    return { body: personView(person, principal, false), headers: etag(person) };
  }),

  implement(routes.accessLog, async ({ principal, params, query }) => ({
    body: await accessLogOfPerson(principal, params.personId, query),
  })),

  implement(routes.keyAccessLog, async ({ principal, params, query }) => ({
    body: await accessLogOfKey(principal, params.keyId, query),
  })),

  implement(routes.history, async ({ principal, params }) => {
    const person = await personInScope(principal, params.personId);
    return { body: { items: await personRepository(principal).history(person.personId) } };
  }),
];
