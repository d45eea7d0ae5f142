import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Person } from '../../../shared/modules/people/rules/person.js';
import { closeStaleRegistrations } from '../../../shared/modules/people/use-cases/close-stale.js';
import { addDays } from '../../../shared/platform/dates.js';
import { registered } from '../people/person-fixtures.js';

/**
 * The stale closer reads the sparse due index, then each candidate, then writes conditionally
 * on the version it read. tests/integration/people/close-stale covers a verification landing
 * between the closer's read and its write (the conditional write loses). This covers the other
 * window: a verification (or a departure) landing between the index Query and the read. The
 * read then shows a fresh version, so the conditional write would succeed — only the closer's
 * own re-check of the record it read keeps it from closing someone just verified.
 */
const state = vi.hoisted(() => ({
  due: [] as { personId: string; lastSeenOn: string }[],
  people: new Map<string, unknown>(),
  applied: [] as { transition: { person: { personId: string; status: string } }; fromVersion: number }[],
  before: undefined as string | undefined,
}));

vi.mock('../../../shared/modules/people/repository.js', () => {
  class StaleWriteError extends Error {}
  return {
    StaleWriteError,
    personRepository: () => ({
      async *lastSeenBefore(day: string) {
        state.before = day;
        yield [...state.due];
      },
      get: async (personId: string) => state.people.get(personId),
      apply: async (change: (typeof state.applied)[number]) => {
        state.applied.push(change);
        return change.transition.person;
      },
    }),
  };
});
vi.mock('../../../shared/modules/tenants/repository.js', () => ({
  tenantRepository: () => ({
    get: async () => ({
      settings: { timeZone: 'Asia/Shanghai', staleAfterDays: 120, verificationCycleDays: 90 },
    }),
  }),
}));

const TODAY = '2024-06-30';
const NOW = new Date('2024-06-30T04:00:00.000Z'); // noon in Shanghai
const BEFORE = addDays(TODAY, -120); // stale = last seen strictly before this day
const tenant = { tenantId: 't_01CLOSER' };

let n = 0;
/** A person the due index listed (last seen long ago), as the closer's read then finds it. */
function candidate(asRead: (p: Person) => Person): Person {
  const indexed = { ...registered({ arrivedOn: addDays(BEFORE, -30) }), personId: `p_${++n}` };
  state.due.push({ personId: indexed.personId, lastSeenOn: indexed.arrivedOn });
  const read = asRead(indexed);
  if (read) state.people.set(indexed.personId, read);
  return read;
}

beforeEach(() => {
  state.due = [];
  state.people.clear();
  state.applied = [];
  state.before = undefined;
});

describe('the stale closer, between its index query and its read', () => {
  it('skips a person verified after the index listed them, and closes the stale one beside them', async () => {
    const verified = candidate((p) => ({ ...p, lastVerifiedOn: TODAY, version: p.version + 1 }));
    const stale = candidate((p) => p);
    const report = await closeStaleRegistrations(tenant, NOW);
    expect(state.before).toBe(BEFORE);
    expect(state.applied.map((c) => c.transition.person.personId)).toEqual([stale.personId]);
    expect(state.applied[0]).toMatchObject({
      fromVersion: stale.version,
      transition: { person: { status: 'closed' } },
    });
    expect(report).toMatchObject({ today: TODAY, candidates: 2, closed: 1, skipped: 1 });
    expect(verified.status).toBe('active');
  });

  it('skips a person last seen exactly on the boundary day (stale means strictly before it)', async () => {
    candidate((p) => ({ ...p, lastVerifiedOn: BEFORE, version: p.version + 1 }));
    const dayEarlier = candidate((p) => ({
      ...p,
      lastVerifiedOn: addDays(BEFORE, -1),
      version: p.version + 1,
    }));
    const report = await closeStaleRegistrations(tenant, NOW);
    expect(state.applied.map((c) => c.transition.person.personId)).toEqual([dayEarlier.personId]);
    expect(report).toMatchObject({ candidates: 2, closed: 1, skipped: 1 });
  });

  it('skips a person written off, closed or gone since the index listed them', async () => {
    candidate((p) => ({ ...p, status: 'departed', departedOn: TODAY, departureReason: 'left', version: 2 }));
    candidate((p) => ({ ...p, status: 'closed', closedOn: TODAY, version: 2 }));
    candidate(() => undefined as unknown as Person);
    const report = await closeStaleRegistrations(tenant, NOW);
    expect(state.applied).toEqual([]);
    expect(report).toMatchObject({ candidates: 3, closed: 0, skipped: 3 });
  });
});
