import { parseIdNumber } from '../../shared/domain/id-number.js';
import {
  depart,
  LifecycleError,
  type Person,
  type Transition,
  update,
  verify,
} from '../../shared/domain/person.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { fieldErrors, httpHandler, route } from '../../shared/http/handler.js';
import { inScope, type Principal } from '../../shared/http/principal.js';
import { HttpProblem, problems } from '../../shared/http/problem.js';
import { entityId } from '../../shared/http/schemas.js';
import { logger } from '../../shared/observability.js';
import {
  batchBody,
  departureBody,
  listQuery,
  registrationBody,
  updateBody,
  verificationBody,
} from '../../shared/registry/schemas.js';
import {
  actorOf,
  etag,
  lifecycleProblem,
  personView,
  registerArrival,
  tenantOf,
} from '../../shared/registry/service.js';
import { deploymentKeys } from '../../shared/secrets.js';
import { gridRepository } from '../../shared/table/grids.js';
import { personRepository, StaleWriteError } from '../../shared/table/people.js';

/** The person, if it exists in this tenant (else 404) and the key's grids cover it (else 403). */
async function personInScope(principal: Principal, personId: string | undefined) {
  if (!personId || !entityId.safeParse(personId).success) throw problems.notFound('person');
  const person = await personRepository(principal).get(personId);
  if (!person) throw problems.notFound('person');
  if (!inScope(principal, person.gridId)) throw problems.forbidden('This key is limited to other grids.');
  return person;
}

function ifMatch(headers: Record<string, string>): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) throw problems.field('If-Match', 'must be the person’s version, e.g. "3"');
  return Number(m[1]);
}

/**
 * Read-modify-write of one active person under optimistic concurrency. With If-Match the
 * caller's version must be current (412). Without it, a concurrent change is retried on the
 * fresh state a few times — never silently overwritten.
 */
async function change(
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

async function gridMustExist(principal: Principal, gridId: string | undefined): Promise<void> {
  if (gridId === undefined) return;
  if (!inScope(principal, gridId)) throw problems.forbidden('This key may not move people into that grid.');
  if (!(await gridRepository(principal).get(gridId)))
    throw problems.field('gridId', 'no such grid in this township');
}

const now = () => new Date().toISOString();

export const handler = httpHandler('people', {
  'POST /v1/people': route({
    body: registrationBody,
    handle: async ({ principal, body }) => {
      const person = await registerArrival(principal, await tenantOf(principal), body);
      return { status: 201, body: personView(person, principal, false), headers: etag(person) };
    },
  }),

  'POST /v1/people/batch': route({
    body: batchBody,
    handle: async ({ principal, body }) => {
      const tenant = await tenantOf(principal);
      const grids = new Set((await gridRepository(principal).list()).map((g) => g.gridId));
      const results: Record<string, unknown>[] = new Array(body.items.length);
      // Items run 8 at a time, but items naming the same ID number run one after another in
      // input order, so the first of two duplicates is the one registered (the other gets 409).
      const lanes = new Map<string, number[]>();
      body.items.forEach((item, i) => {
        const id = (item as { idNumber?: unknown } | null)?.idNumber;
        const lane = typeof id === 'string' ? `id:${id.trim().toUpperCase()}` : `item:${i}`;
        lanes.set(lane, [...(lanes.get(lane) ?? []), i]);
      });
      const queue = [...lanes.values()];
      const worker = async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const i of lane) {
            const parsed = registrationBody.safeParse(body.items[i]);
            try {
              if (!parsed.success) throw problems.validation(fieldErrors(parsed.error));
              const person = await registerArrival(principal, tenant, parsed.data, grids);
              results[i] = { status: 201, person: personView(person, principal, false) };
            } catch (error) {
              if (!(error instanceof HttpProblem)) {
                // One item failing on our side must not abandon the others mid-write: it gets
                // its own 503 and can be sent again (with the same body it is then registered
                // or, if it was after all, a 409 naming the person).
                logger.error('batch item failed', error as Error);
                results[i] = {
                  status: 503,
                  errors: [{ path: '', message: 'temporarily failed; send this item again' }],
                };
                continue;
              }
              const problem = error.body();
              results[i] = {
                status: error.status,
                errors: problem.errors ?? [{ path: '', message: problem.detail ?? problem.title }],
                ...(typeof problem.personId === 'string' ? { personId: problem.personId } : {}),
              };
            }
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return { status: 200, body: { results } };
    },
  }),

  'GET /v1/people': route({
    query: listQuery,
    handle: async ({ principal, query }) => {
      const keys = await deploymentKeys();
      if (query.idNumber !== undefined) {
        if (principal.role !== 'admin' && principal.role !== 'office') {
          throw problems.forbidden('Only admin and office keys may look people up by ID number.');
        }
        if (query.gridId || query.status)
          throw problems.field('idNumber', 'cannot be combined with gridId or status');
        const tenant = await tenantOf(principal);
        const id = parseIdNumber(query.idNumber, tenant.today);
        if (!id.ok) throw problems.field('idNumber', id.message);
        const idHash = keys.idNumberHash(principal.tenantId, id.value.idNumber);
        const q = `idNumber:${idHash}`;
        const after = query.cursor
          ? decodeCursor<string>(keys, principal.tenantId, q, query.cursor)
          : undefined;
        const page = await personRepository(principal).pageOfIdNumber(idHash, query.limit, after);
        const people = page.people.filter((p) => inScope(principal, p.gridId));
        return {
          status: 200,
          body: {
            items: people.map((p) => personView(p, principal, true)),
            nextCursor:
              page.more && page.lastSk ? encodeCursor(keys, principal.tenantId, q, page.lastSk) : null,
          },
        };
      }

      // By grid: one grid, or every grid in the key's scope in gridId order.
      let gridIds: string[];
      if (query.gridId) {
        if (!(await gridRepository(principal).get(query.gridId))) throw problems.notFound('grid');
        if (!inScope(principal, query.gridId))
          throw problems.forbidden('This key is limited to other grids.');
        gridIds = [query.gridId];
      } else {
        gridIds = (await gridRepository(principal).list())
          .map((g) => g.gridId)
          .filter((g) => inScope(principal, g));
      }
      const q = `grid:${query.gridId ?? '*'}:${query.status ?? '*'}`;
      type Position = { g: string; k: string | undefined };
      let position: Position | undefined = query.cursor
        ? decodeCursor<Position>(keys, principal.tenantId, q, query.cursor)
        : undefined;
      let gi = position ? gridIds.indexOf(position.g) : 0;
      if (gi < 0) gi = gridIds.findIndex((g) => g > (position?.g ?? ''));
      const items: Person[] = [];
      let nextPosition: Position | undefined;
      while (gi >= 0 && gi < gridIds.length && items.length < query.limit) {
        const gridId = gridIds[gi] as string;
        const afterSk = position && position.g === gridId ? position.k : undefined;
        const page = await personRepository(principal).pageOfGrid(
          gridId,
          query.status,
          query.limit - items.length,
          afterSk,
        );
        items.push(...page.people);
        position = { g: gridId, k: page.lastSk };
        if (page.more) {
          nextPosition = position;
          if (items.length >= query.limit) break;
          continue;
        }
        gi++;
        nextPosition = gi < gridIds.length ? { g: gridIds[gi] as string, k: undefined } : undefined;
      }
      return {
        status: 200,
        body: {
          items: items.map((p) => personView(p, principal, true)),
          nextCursor: nextPosition ? encodeCursor(keys, principal.tenantId, q, nextPosition) : null,
        },
      };
    },
  }),

  'GET /v1/people/{personId}': route({
    handle: async ({ principal, params }) => {
      const person = await personInScope(principal, params.personId);
      return { status: 200, body: personView(person, principal, false), headers: etag(person) };
    },
  }),

  'PATCH /v1/people/{personId}': route({
    body: updateBody,
    handle: async ({ principal, params, body, headers }) => {
      const expected = ifMatch(headers);
      const person = await change(principal, params.personId, expected, async (p) => {
        await gridMustExist(principal, body.gridId);
        return update(p, body, now());
      });
      return { status: 200, body: personView(person, principal, false), headers: etag(person) };
    },
  }),

  'POST /v1/people/{personId}/verifications': route({
    body: verificationBody,
    handle: async ({ principal, params, body, headers }) => {
      const person = await change(
        principal,
        params.personId,
        ifMatch(headers),
        async (p, today) => {
          await gridMustExist(principal, body.gridId);
          return verify(p, body, today, now());
        },
        () => ({ verifiedOn: body.verifiedOn, outcome: body.outcome }),
      );
      return { status: 200, body: personView(person, principal, false), headers: etag(person) };
    },
  }),

  'POST /v1/people/{personId}/departure': route({
    body: departureBody,
    handle: async ({ principal, params, body, headers }) => {
      const person = await change(principal, params.personId, ifMatch(headers), (p, today) =>
        depart(p, body, today, now()),
      );
      return { status: 200, body: personView(person, principal, false), headers: etag(person) };
    },
  }),

  'GET /v1/people/{personId}/history': route({
    handle: async ({ principal, params }) => {
      const person = await personInScope(principal, params.personId);
      return { status: 200, body: { items: await personRepository(principal).history(person.personId) } };
    },
  }),
});
