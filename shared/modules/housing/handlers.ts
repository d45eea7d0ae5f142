import { toProblem } from '../../platform/http/problem.js';
import { etag, ifMatch } from '../../platform/http/request.js';
import { implement, routeKeyOf } from '../../platform/http/route.js';
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
import { accessLogOfHouse, accessLogOfLandlord } from './use-cases/access-log.js';
import { recordBatch } from './use-cases/batch.js';
import {
  assertUnoccupied,
  changeHouse,
  houseInScope,
  recordHouse,
  recordHouseAccess,
  viewOf,
  viewsOf,
} from './use-cases/houses.js';
import {
  changeLandlord,
  landlordOf,
  listLandlords,
  recordLandlord,
  recordLandlordAccess,
} from './use-cases/landlords.js';
import {
  listBannedOccupied,
  listHouses,
  listLandlordHouses,
  listLapsedLetters,
} from './use-cases/listing.js';
import { landlordView } from './use-cases/view.js';

const now = () => new Date().toISOString();

/**
 * Thin handlers: parse (by the declaration) → authorize (role by the declaration, scope in the use
 * case) → use case → respond. An answer showing a landlord's raw ID number or phone, or a house's
 * contacts' raw phones, leaves an access entry per landlord or house shown (docs/housing.md,
 * "Access log"): writes in their own transaction, reads after reading, before answering.
 */
export const housingHandlers = [
  implement(routes.createHouse, async ({ principal, body }) => {
    const house = await recordHouse({ principal, body, route: routeKeyOf(routes.createHouse) });
    // a new house has no occupants yet: nothing to read
    return { body: await viewOf(principal, house, 0), headers: etag(house) };
  }),

  implement(routes.batchHouses, async ({ principal, body }) => {
    const isClientError = (error: unknown) => (toProblem(error, housingProblem)?.status ?? 500) < 500;
    const outcomes = await recordBatch({
      principal,
      items: body.items,
      isClientError,
      route: routeKeyOf(routes.batchHouses),
    });
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
    await recordHouseAccess(principal, page.houses, { route: routeKeyOf(routes.listHouses), inList: true });
    return { body: { items: await viewsOf(principal, page.houses, true), nextCursor: page.nextCursor } };
  }),

  implement(routes.bannedOccupied, async ({ principal, query }) => {
    const page = await listBannedOccupied(principal, query);
    await recordHouseAccess(principal, page.houses, {
      route: routeKeyOf(routes.bannedOccupied),
      inList: true,
    });
    return {
      body: {
        items: await viewsOf(principal, page.houses, true, page.occupants),
        nextCursor: page.nextCursor,
      },
    };
  }),

  implement(routes.lapsedLetters, async ({ principal, query }) => {
    const page = await listLapsedLetters(principal, query);
    await recordHouseAccess(principal, page.houses, {
      route: routeKeyOf(routes.lapsedLetters),
      inList: true,
    });
    return { body: { items: await viewsOf(principal, page.houses, true), nextCursor: page.nextCursor } };
  }),

  implement(routes.getHouse, async ({ principal, params }) => {
    const house = await houseInScope(principal, params.houseId);
    await recordHouseAccess(principal, [house], { route: routeKeyOf(routes.getHouse), inList: false });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.updateHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.updateHouse),
      step: (h) => updateHouse(h, body, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.registerHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.registerHouse),
      step: (h, today) => registerHouse(h, body, today, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.banHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.banHouse),
      step: (h, today) => banHouse(h, body, today, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.liftBan, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.liftBan),
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
      route: routeKeyOf(routes.closeHouse),
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
      route: routeKeyOf(routes.reopenHouse),
      step: (h, today) => reopenHouse(h, body, today, now()),
    });
    return { body: await viewOf(principal, house), headers: etag(house) };
  }),

  implement(routes.inspectHouse, async ({ principal, params, body, headers }) => {
    const house = await changeHouse({
      principal,
      houseId: params.houseId,
      expectedVersion: ifMatch(headers),
      route: routeKeyOf(routes.inspectHouse),
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
    const landlord = await recordLandlord(principal, body, routeKeyOf(routes.createLandlord));
    return { body: landlordView(landlord, { principal, inList: false }), headers: etag(landlord) };
  }),

  implement(routes.listLandlords, async ({ principal, query }) => {
    const page = await listLandlords(principal, query);
    await recordLandlordAccess(principal, page.landlords, {
      route: routeKeyOf(routes.listLandlords),
      inList: true,
    });
    return {
      body: {
        items: page.landlords.map((l) => landlordView(l, { principal, inList: true })),
        nextCursor: page.nextCursor,
      },
    };
  }),

  implement(routes.getLandlord, async ({ principal, params }) => {
    const landlord = await landlordOf(principal, params.landlordId);
    await recordLandlordAccess(principal, [landlord], {
      route: routeKeyOf(routes.getLandlord),
      inList: false,
    });
    return { body: landlordView(landlord, { principal, inList: false }), headers: etag(landlord) };
  }),

  implement(routes.updateLandlord, async ({ principal, params, body, headers }) => {
    const landlord = await changeLandlord({
      principal,
      landlordId: params.landlordId,
      expectedVersion: ifMatch(headers),
      changes: body,
      route: routeKeyOf(routes.updateLandlord),
    });
    return { body: landlordView(landlord, { principal, inList: false }), headers: etag(landlord) };
  }),

  implement(routes.landlordHouses, async ({ principal, params, query }) => {
    const page = await listLandlordHouses(principal, params.landlordId, query);
    await recordHouseAccess(principal, page.houses, {
      route: routeKeyOf(routes.landlordHouses),
      inList: true,
    });
    return { body: { items: await viewsOf(principal, page.houses, true), nextCursor: page.nextCursor } };
  }),

  implement(routes.landlordAccessLog, async ({ principal, params, query }) => ({
    body: await accessLogOfLandlord(principal, params.landlordId, query),
  })),

  implement(routes.houseAccessLog, async ({ principal, params, query }) => ({
    body: await accessLogOfHouse(principal, params.houseId, query),
  })),

  implement(routes.landlordHistory, async ({ principal, params }) => {
    const landlord = await landlordOf(principal, params.landlordId);
    return { body: { items: await landlordRepository(principal).history(landlord.landlordId) } };
  }),
];
