import { depart, update, verify } from '../../shared/domain/person.js';
import { httpHandler, route } from '../../shared/http/handler.js';
import { problems } from '../../shared/http/problem.js';
import { registerBatch } from '../../shared/registry/batch.js';
import { change, gridMustExist, personInScope } from '../../shared/registry/changes.js';
import { listByGrid, listByIdNumber } from '../../shared/registry/listing.js';
import {
  batchBody,
  departureBody,
  listQuery,
  registrationBody,
  updateBody,
  verificationBody,
} from '../../shared/registry/schemas.js';
import { etag, personView, registerArrival, tenantOf } from '../../shared/registry/service.js';
import { personRepository } from '../../shared/table/people.js';

function ifMatch(headers: Record<string, string>): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) throw problems.field('If-Match', 'must be the person’s version, e.g. "3"');
  return Number(m[1]);
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
    handle: async ({ principal, body }) => ({
      status: 200,
      body: { results: await registerBatch(principal, body.items) },
    }),
  }),

  'GET /v1/people': route({
    query: listQuery,
    handle: async ({ principal, query }) => {
      const page =
        query.idNumber !== undefined
          ? await listByIdNumber(principal, { ...query, idNumber: query.idNumber })
          : await listByGrid(principal, query);
      return {
        status: 200,
        body: { items: page.people.map((p) => personView(p, principal, true)), nextCursor: page.nextCursor },
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
