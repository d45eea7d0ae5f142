import { personRepository } from '../../../shared/modules/people/repository.js';
import { close, verify } from '../../../shared/modules/people/rules/person.js';
import { addDays } from '../../../shared/platform/dates.js';
import type { ExactnessFixture } from '../statistics/fixtures.js';

/**
 * The people module's records for the statistics engine's exactness tests: a realistic mix of
 * registrations in three grids (women of several ages, both flows, back-filled arrivals),
 * moves with their verification events, and stale closures.
 */
export const peopleExactness: ExactnessFixture = {
  module: 'people',
  async populate(w) {
    const people = [];
    for (let i = 0; i < 120; i++) {
      people.push(
        await w.registerPerson({
          gridId: w.grids[i % 3],
          sex: i % 2 ? 'male' : 'female',
          born: i % 5 ? '1990-06-01' : '1960-01-01',
          flow: i % 7 ? 'inflow' : 'outflow',
          arrivedOn: addDays(w.today, -(i % 40)),
        }),
      );
    }
    const repo = personRepository(w.principal);
    const actor = { keyId: 'k', name: 't' };
    for (const p of people.slice(0, 30)) {
      const transition = verify(
        p,
        { verifiedOn: w.today, outcome: 'moved', gridId: w.grids[(w.grids.indexOf(p.gridId) + 1) % 3] },
        w.today,
        new Date().toISOString(),
      );
      await repo.apply({
        transition,
        fromVersion: p.version,
        idHash: p.idHash,
        actor,
        extra: { verifiedOn: w.today, outcome: 'moved' },
      });
    }
    for (const p of people.slice(30, 45)) {
      await repo.apply({
        transition: close(p, w.today, new Date().toISOString()),
        fromVersion: p.version,
        idHash: p.idHash,
        actor,
      });
    }
  },
  async writeOne(w, gridIndex) {
    await w.registerPerson({ gridId: w.grids[gridIndex] });
  },
  // a person with no grid and no flow: cannot be counted
  poisonImage: { entity: { S: 'person' }, status: { S: 'active' } },
};
