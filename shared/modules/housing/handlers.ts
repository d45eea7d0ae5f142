import { toProblem } from '../../platform/http/problem.js';
import { etag, ifMatch } from '../../platform/http/request.js';
import { implement } from '../../platform/http/route.js';
import { housingProblem } from './errors.js';
import { houseRepository, landlordRepository } from './repository.js';
import { housingRoutes as routes } from './routes.js';
import {
  banHouse,
  closeHouse,
  inspectHouse,
  liftBan,
  registerHouse,
  reopenHouse,
  updateHouse,
} from './rules/house.js';
import { recordBatch } from './use-cases/batch.js';
import {
  assertUnoccupied,
  changeHouse,
  houseInScope,
  recordHouse,
  viewOf,
  viewsOf,
} from './use-cases/houses.js';
import { changeLandlord, landlordOf, listLandlords, recordLandlord } from './use-cases/landlords.js';
import {
  listBannedOccupied,
  listHouses,
  listLandlordHouses,
  listLapsedLetters,
} from './use-cases/listing.js';
import { landlordView } from './use-cases/view.js';

const now = () => new Date().toISOString();

/** Thin handlers: parse (by the declaration) → authorize (role by the declaration, scope in the use case) → use case → respond. */
export const housingHandlers = [
  implement(routes.createHouse, async ({ principal, body }) => {
    const house = await recordHouse({ principal, body });
    // a new house has no occupants yet: nothing to read
    return { body: await viewOf(principal, house, 0), headers: etag(house) };
  }),

  implement(routes.batchHouses, async ({ principal, body }) => {
    const isClientError = (error: unknown) => (toProblem(error, housingProblem)?.status ?? 500) < 500;
    const outcomes = await recordBatch({ principal, items: body.items, isClientError });
    const recorded = outcomes.flatMap((o) => ('house' in o ? [o.house] : []));
    const views = new Map(
      (await viewsOf(principal, recorded, false, new Map(recorded.map((h) => [h.houseId, 0])))).map((v) => [
        v.houseId,
        v,
      ]),
    );
    const results = outcomes.map((outcome) => {
      if ('house' in outcome) return { status: 201, house: views.get(outcome.house.houseId) };
      if ('failed' in outcome) {
        return { status: 503, errors: [{ path: '', message: 'temporarily failed; send this item again' }] };
      }
      const problem = toProblem(outcome.error, housingProblem);
      const detail = problem?.body();
      return {
        status: problem?.status ?? 500,
        errors: detail?.errors ?? [{ path: '', message: detail?.detail ?? detail?.title ?? 'failed' }],
        ...(typeof detail?.houseId === 'string' ? { houseId: detail.houseId } : {}),
      };
    });
    return { body: { results } };
  }),

  implement(routes.listHouses, async ({ principal, query }) => {
    const page = await listHouses(principal, query);
    return { body: { items: await viewsOf(principal, page.houses, true), nextCursor: page.nextCursor } };
  }),

  implement(routes.bannedOccupied, async ({ principal, query }) => {
    const page = await listBannedOccupied(principal, query);
    return {
      body: {
        items: await viewsOf(principal, page.houses, true, page.occupants),
        nextCursor: page.nextCursor,
      },
    };
  }),

  implement(routes.lapsedLetters, async ({ principal, query }) => {
    const page = await listLapsedLetters(principal, query);
    return { body: { items: await viewsOf(principal, page.houses, true), nextCursor: page.nextCursor } };
  }),

  implement(routes.getHouse, async ({ principal, params }) => {
    const house = await houseInScope(principal, params.houseId);
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.updateHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h) => updateHouse(h, body, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.registerHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h, today) => registerHouse(h, body, today, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.banHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h, today) => banHouse(h, body, today, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.liftBan, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h, today) => liftBan(h, body, today, now()),
      extra: { liftedOn: body.liftedOn },
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.closeHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h, today) => closeHouse(h, body, today, now()),
      before: (tr) => assertUnoccupied(principal, tr.house.houseId),
    });
    // nobody lives there: the closure just read its occupants
    return { body: await viewOf(principal, house, 0), headers: etag(house) };
  }),

  implement(routes.reopenHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h, today) => reopenHouse(h, body, today, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.inspectHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      step: (h, today) => inspectHouse(h, body, today, now()),
      extra: { inspectedOn: body.inspectedOn, hazard: body.hazard ?? false },
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.houseHistory, async ({ principal, params }) => {
    const house = await houseInScope(principal, params.houseId);
    return { body: { items: await houseRepository(principal).history(house.houseId) } };
  }),

  implement(routes.createLandlord, async ({ principal, body }) => {
    const landlord = await recordLandlord(principal, body);
    return { body: landlordView(landlord, { principal, inList: false }), headers: etag(landlord) };
  }),

  implement(routes.listLandlords, async ({ principal, query }) => {
    const page = await listLandlords(principal, query);
    return {
      body: {
        items: page.landlords.map((l) => landlordView(l, { principal, inList: true })),
        nextCursor: page.nextCursor,
      },
    };
  }),

  implement(routes.getLandlord, async ({ principal, params }) => {
    const landlord = await landlordOf(principal, params.landlordId);
    return { body: landlordView(landlord, { principal, inList: false }), headers: etag(landlord) };
  }),

  implement(routes.updateLandlord, async ({ principal, params, body, headers }) => {
    const landlord = await changeLandlord({
      principal,
      landlordId: params.landlordId,
      expectedVersion: ifMatch(headers),
      changes: body,
    });
    return { body: landlordView(landlord, { principal, inList: false }), headers: etag(landlord) };
  }),

  implement(routes.landlordHouses, async ({ principal, params, query }) => {
    const page = await listLandlordHouses(principal, params.landlordId, query);
    return { body: { items: await viewsOf(principal, page.houses, true), nextCursor: page.nextCursor } };
  }),

  implement(routes.landlordHistory, async ({ principal, params }) => {
    const landlord = await landlordOf(principal, params.landlordId);
    return { body: { items: await landlordRepository(principal).history(landlord.landlordId) } };
  }),
];
