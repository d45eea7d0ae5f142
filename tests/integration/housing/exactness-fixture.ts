import {
  banHouse,
  closeHouse,
  inspectHouse,
  liftBan,
  registerHouse,
  reopenHouse,
  updateHouse,
} from '../../../shared/modules/housing/rules/house.js';
import { changeHouse, recordHouse } from '../../../shared/modules/housing/use-cases/houses.js';
import { recordLandlord } from '../../../shared/modules/housing/use-cases/landlords.js';
import { personRepository } from '../../../shared/modules/people/repository.js';
import { depart } from '../../../shared/modules/people/rules/person.js';
import { addDays } from '../../../shared/platform/dates.js';
import type { ExactnessFixture } from '../statistics/fixtures.js';
import { houseBody, putLetter } from './fixtures.js';

const now = () => new Date().toISOString();

/**
 * The housing module's records for the statistics engine's exactness tests: houses of every
 * status in three grids (registered at once, discovered then registered, banned and lifted,
 * closed and reopened, with and without a ceiling), the house events that count by month,
 * letters of several kinds and states (valid today, not yet, lapsed, revoked), and people living
 * in houses — some of them written off — so occupancy counts from person records.
 */
export const housingExactness: ExactnessFixture = {
  module: 'housing',
  async populate(w) {
    const { principal, today } = w;
    const landlordId = (
      await recordLandlord(principal, {
        kind: 'organisation',
        name: 'Exactness Property Co.',
        creditCode: '9144030071526726XG',
        legalRepresentative: 'Ma',
        phone: '0755-1234567',
        address: 'Shenzhen',
      })
    ).landlordId;
    const houses = [];
    for (let i = 0; i < 18; i++) {
      const gridId = w.grids[i % 3] as string;
      const discovered = i % 4 === 0;
      houses.push(
        await recordHouse({
          principal,
          body: houseBody(gridId, {
            status: discovered ? 'discovered' : 'registered',
            ...(discovered
              ? { discoveredOn: addDays(today, -40) }
              : { landlordId, registeredOn: addDays(today, -(i % 35) - 1) }),
            maxOccupants: i % 3 === 0 ? null : 2,
          }),
        }),
      );
    }
    const step = (houseId: string, run: Parameters<typeof changeHouse>[0]['step']) =>
      changeHouse({ principal, houseId, expectedVersion: undefined, step: run });

    // people live in houses (in the house's grid); a few write off again
    const people: Awaited<ReturnType<typeof w.registerPerson>>[] = [];
    for (const [i, h] of houses.entries()) {
      for (let n = 0; n < i % 4; n++)
        people.push(
          await w.registerPerson({ gridId: h.gridId, houseId: h.houseId, sex: n % 2 ? 'male' : 'female' }),
        );
    }
    for (const p of people.slice(0, 3)) {
      await personRepository(principal).apply({
        transition: depart(p, { departedOn: today, reason: 'left' }, today, now()),
        fromVersion: p.version,
        idHash: p.idHash,
        actor: { keyId: 'k', name: 't' },
      });
    }

    const [d0, d1] = houses.filter((h) => h.status === 'discovered');
    for (const d of [d0, d1])
      if (d) await step(d.houseId, (h, t) => registerHouse(h, { landlordId }, t, now()));
    const registered = houses.filter((h) => h.status === 'registered');
    const ban = { reason: 'illegal rental', basis: 'rule 7', bannedOn: today };
    for (const h of registered.slice(0, 4)) await step(h.houseId, (x, t) => banHouse(x, ban, t, now()));
    await step(registered[0]?.houseId as string, (x, t) => liftBan(x, { liftedOn: today }, t, now()));
    // houses nobody lives in close; one of them reopens
    for (const n of [0, 1]) {
      const h = await recordHouse({
        principal,
        body: houseBody(w.grids[n] as string, { landlordId, registeredOn: addDays(today, -60) }),
      });
      await step(h.houseId, (x, t) =>
        closeHouse(x, { reason: 'letting-stopped', closedOn: addDays(t, -n) }, t, now()),
      );
      if (n === 1) await step(h.houseId, (x, t) => reopenHouse(x, { registeredOn: t }, t, now()));
    }
    await step(registered[5]?.houseId as string, (x, t) =>
      inspectHouse(x, { inspectedOn: today, findings: 'ok' }, t, now()),
    );
    await step(registered[6]?.houseId as string, (x) => updateHouse(x, { maxOccupants: 1 }, now()));

    // letters: valid today, not yet valid, lapsed, revoked; security and other kinds
    for (const [i, h] of houses.entries()) {
      if (i % 3 === 2) continue;
      await putLetter(principal, {
        houseId: h.houseId,
        gridId: h.gridId,
        kind: i % 5 === 0 ? 'guarantee' : 'security-responsibility',
        status: i % 7 === 0 ? 'revoked' : i % 8 === 1 ? 'expired' : 'valid',
        signedOn: addDays(today, -(i * 9)),
        validFrom: addDays(today, i % 6 === 0 ? 3 : -(i * 9)),
        validUntil: addDays(today, i % 8 === 1 ? -1 : 200),
      });
    }
  },
  async writeOne(w, gridIndex) {
    await recordHouse({
      principal: w.principal,
      body: houseBody(w.grids[gridIndex] as string, { status: 'discovered' }),
    });
  },
  // a house with no grid and no id: cannot be counted
  poisonImage: { entity: { S: 'house' }, status: { S: 'registered' } },
};
