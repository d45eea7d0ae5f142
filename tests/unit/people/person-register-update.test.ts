import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../shared/domain/dates.js';
import {
  close,
  type DepartureReason,
  depart,
  departureReasons,
  LifecycleError,
  lastSeenOn,
  maritalStatuses,
  overdueBefore,
  type Person,
  type PersonChanges,
  type RegistrationInput,
  register,
  type Transition,
  update,
  type Verification,
  verificationOutcomes,
  verify,
} from '../../shared/domain/person.js';

const TODAY = '2024-06-30';
const NOW = '2024-06-30T08:00:00.000Z';
const LATER = '2024-06-30T09:30:00.000Z';
const ARRIVED = '2024-01-15';
const ids = { personId: 'p_01TEST', cardNumber: 'C000001' };

const input = (over: Partial<RegistrationInput> = {}): RegistrationInput => ({
  idNumber: '11010519900101002X',
  sex: 'female',
  birthDate: '1990-01-01',
  name: 'Zhang San',
  flow: 'inflow',
  gridId: 'g_1',
  address: 'Building 3, Room 201',
  arrivedOn: ARRIVED,
  maritalStatus: 'married',
  ...over,
});

const registered = (over: Partial<RegistrationInput> = {}): Person =>
  register(input(over), ids, TODAY, NOW).person;

/** The LifecycleError `fn` throws (fails the test if it throws nothing or something else). */
function lifecycleError(fn: () => unknown): LifecycleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LifecycleError) return error;
    throw error;
  }
  throw new Error('expected a LifecycleError, nothing was thrown');
}

const departed = (): Person =>
  depart(registered(), { departedOn: '2024-05-01', reason: 'left' }, TODAY, NOW).person;
const closed = (): Person => close(registered(), '2024-06-01', NOW).person;

/** Fields that differ between two persons, ignoring the bookkeeping ones. */
function differingFields(a: Person, b: Person): string[] {
  return (Object.keys(a) as (keyof Person)[])
    .filter((k) => k !== 'version' && k !== 'updatedAt' && a[k] !== b[k])
    .sort();
}

describe('register', () => {
  it('creates an active registration at version 1 with the given fields', () => {
    const t = register(input({ phone: '13800001234', occupation: 'cook' }), ids, TODAY, NOW);
    expect(t.action).toBe('registered');
    expect(t.changedFields).toEqual([]);
    expect(t.person).toEqual({
      personId: 'p_01TEST',
      cardNumber: 'C000001',
      idNumber: '11010519900101002X',
      name: 'Zhang San',
      sex: 'female',
      birthDate: '1990-01-01',
      flow: 'inflow',
      gridId: 'g_1',
      address: 'Building 3, Room 201',
      arrivedOn: ARRIVED,
      lastVerifiedOn: null,
      maritalStatus: 'married',
      phone: '13800001234',
      occupation: 'cook',
      employer: null,
      originRegion: null,
      status: 'active',
      departedOn: null,
      departureReason: null,
      closedOn: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('turns omitted and null optional fields into null', () => {
    const p = registered({ phone: null, lastVerifiedOn: null });
    expect(p.phone).toBeNull();
    expect(p.lastVerifiedOn).toBeNull();
    expect(p.occupation).toBeNull();
    expect(p.employer).toBeNull();
    expect(p.originRegion).toBeNull();
  });

  it('accepts back-filled dates and dates equal to today', () => {
    expect(registered({ arrivedOn: TODAY }).arrivedOn).toBe(TODAY);
    expect(registered({ arrivedOn: '2001-03-04' }).arrivedOn).toBe('2001-03-04');
    expect(registered({ lastVerifiedOn: TODAY }).lastVerifiedOn).toBe(TODAY);
    expect(registered({ lastVerifiedOn: ARRIVED }).lastVerifiedOn).toBe(ARRIVED);
  });

  it('refuses an arrival in the future', () => {
    const e = lifecycleError(() => registered({ arrivedOn: addDays(TODAY, 1) }));
    expect(e).toMatchObject({ code: 'date-in-future', field: 'arrivedOn' });
  });

  it('refuses a lastVerifiedOn in the future', () => {
    const e = lifecycleError(() => registered({ lastVerifiedOn: addDays(TODAY, 1) }));
    expect(e).toMatchObject({ code: 'date-in-future', field: 'lastVerifiedOn' });
  });

  it('refuses a lastVerifiedOn before the arrival', () => {
    const e = lifecycleError(() => registered({ lastVerifiedOn: addDays(ARRIVED, -1) }));
    expect(e).toMatchObject({ code: 'date-before-arrival', field: 'lastVerifiedOn' });
  });

  it('refuses a birth after the arrival, accepts a birth on the arrival day', () => {
    const e = lifecycleError(() => registered({ birthDate: addDays(ARRIVED, 1) }));
    expect(e).toMatchObject({ code: 'date-before-arrival', field: 'arrivedOn' });
    expect(registered({ birthDate: ARRIVED }).birthDate).toBe(ARRIVED);
  });

  it('does not mutate its input', () => {
    const i = input({ lastVerifiedOn: '2024-02-01' });
    const copy = structuredClone(i);
    register(i, ids, TODAY, NOW);
    expect(i).toEqual(copy);
  });
});

describe('update', () => {
  it('changes the given fields, bumps the version and names what changed', () => {
    const p = registered();
    const t = update(p, { phone: '13900001111', employer: 'ACME' }, LATER);
    expect(t.action).toBe('updated');
    expect([...t.changedFields].sort()).toEqual(['employer', 'phone']);
    expect(t.person.version).toBe(2);
    expect(t.person.updatedAt).toBe(LATER);
    expect(t.person.createdAt).toBe(NOW);
    expect(t.person.phone).toBe('13900001111');
    expect(t.person.employer).toBe('ACME');
    expect(differingFields(p, t.person)).toEqual(['employer', 'phone']);
  });

  it('lists field names only, never values', () => {
    const t = update(registered(), { phone: '13900001111' }, LATER);
    expect(t.changedFields).toEqual(['phone']);
    expect(t.changedFields.join()).not.toContain('139');
  });

  it('leaves out fields given with their current value', () => {
    const p = registered();
    const t = update(p, { gridId: p.gridId, address: 'New address', maritalStatus: p.maritalStatus }, LATER);
    expect(t.changedFields).toEqual(['address']);
  });

  it('moves a person to another grid', () => {
    const t = update(registered(), { gridId: 'g_2' }, LATER);
    expect(t.person.gridId).toBe('g_2');
    expect(t.changedFields).toEqual(['gridId']);
  });

  it('refuses a change that changes nothing', () => {
    const p = registered();
    expect(lifecycleError(() => update(p, {}, LATER)).code).toBe('nothing-to-change');
    expect(lifecycleError(() => update(p, { gridId: p.gridId, phone: p.phone }, LATER)).code).toBe(
      'nothing-to-change',
    );
  });

  it('does not mutate the person it is given', () => {
    const p = registered();
    const copy = structuredClone(p);
    update(p, { phone: '13900001111' }, LATER);
    expect(p).toEqual(copy);
  });

  it.each([
    ['departed', departed],
    ['closed', closed],
  ])('refuses to change a %s registration', (_status, make) => {
    const p = make();
    const e = lifecycleError(() => update(p, { phone: '13900001111' }, LATER));
    expect(e.code).toBe('not-active');
  });
});

describe('verify', () => {
  it.each(['present', 'moved'] as const)('%s sets lastVerifiedOn when there was none', (outcome) => {
    const p = registered();
    const t = verify(p, { verifiedOn: '2024-04-01', outcome }, TODAY, LATER);
    expect(t.action).toBe('verified');
    expect(t.person.lastVerifiedOn).toBe('2024-04-01');
    expect(t.changedFields).toEqual(['lastVerifiedOn']);
    expect(t.person.version).toBe(2);
    expect(t.person.updatedAt).toBe(LATER);
  });

  it.each(['present', 'moved'] as const)('%s moves lastVerifiedOn forward', (outcome) => {
    const p = registered({ lastVerifiedOn: '2024-03-01' });
    const t = verify(p, { verifiedOn: '2024-03-02', outcome }, TODAY, LATER);
    expect(t.person.lastVerifiedOn).toBe('2024-03-02');
  });

  it.each(['present', 'moved'] as const)('%s never moves lastVerifiedOn backwards', (outcome) => {
    const p = registered({ lastVerifiedOn: '2024-05-01' });
    const older = verify(p, { verifiedOn: '2024-04-30', outcome }, TODAY, LATER);
    expect(older.person.lastVerifiedOn).toBe('2024-05-01');
    expect(older.changedFields).toEqual([]);
    // still a recorded verification: a new version
    expect(older.person.version).toBe(2);
    const same = verify(p, { verifiedOn: '2024-05-01', outcome }, TODAY, LATER);
    expect(same.person.lastVerifiedOn).toBe('2024-05-01');
    expect(same.changedFields).toEqual([]);
  });

  it('absent records the visit without setting lastVerifiedOn', () => {
    const never = verify(registered(), { verifiedOn: '2024-04-01', outcome: 'absent' }, TODAY, LATER);
    expect(never.person.lastVerifiedOn).toBeNull();
    expect(never.changedFields).toEqual([]);
    expect(never.person.version).toBe(2);
    expect(never.action).toBe('verified');

    const before = registered({ lastVerifiedOn: '2024-02-01' });
    const t = verify(before, { verifiedOn: '2024-06-01', outcome: 'absent' }, TODAY, LATER);
    expect(t.person.lastVerifiedOn).toBe('2024-02-01');
  });

  it('moved may change grid and address', () => {
    const p = registered();
    const t = verify(
      p,
      { verifiedOn: '2024-06-01', outcome: 'moved', gridId: 'g_9', address: 'Elsewhere 1' },
      TODAY,
      LATER,
    );
    expect(t.person.gridId).toBe('g_9');
    expect(t.person.address).toBe('Elsewhere 1');
    expect(t.person.lastVerifiedOn).toBe('2024-06-01');
    expect([...t.changedFields].sort()).toEqual(['address', 'gridId', 'lastVerifiedOn']);
    expect(differingFields(p, t.person)).toEqual(['address', 'gridId', 'lastVerifiedOn']);
  });

  it('moved to the same grid does not name gridId as changed', () => {
    const p = registered();
    const t = verify(p, { verifiedOn: '2024-06-01', outcome: 'moved', gridId: p.gridId }, TODAY, LATER);
    expect(t.changedFields).toEqual(['lastVerifiedOn']);
  });

  it.each([
    ['present', { gridId: 'g_2' }, 'gridId'],
    ['present', { address: 'x' }, 'address'],
    ['absent', { gridId: 'g_2' }, 'gridId'],
    ['absent', { address: 'x' }, 'address'],
    ['absent', { gridId: 'g_2', address: 'x' }, 'gridId'],
  ] as const)('%s with %o is refused on %s', (outcome, extra, field) => {
    const e = lifecycleError(() =>
      verify(registered(), { verifiedOn: '2024-06-01', outcome, ...extra }, TODAY, LATER),
    );
    expect(e).toMatchObject({ code: 'field-not-allowed', field });
  });

  it('refuses a verification in the future, accepts one today', () => {
    const p = registered();
    const e = lifecycleError(() =>
      verify(p, { verifiedOn: addDays(TODAY, 1), outcome: 'present' }, TODAY, LATER),
    );
    expect(e).toMatchObject({ code: 'date-in-future', field: 'verifiedOn' });
    expect(verify(p, { verifiedOn: TODAY, outcome: 'present' }, TODAY, LATER).person.lastVerifiedOn).toBe(
      TODAY,
    );
  });

  it('refuses a verification before the arrival, accepts one on the arrival day', () => {
    const p = registered();
    const e = lifecycleError(() =>
      verify(p, { verifiedOn: addDays(ARRIVED, -1), outcome: 'absent' }, TODAY, LATER),
    );
    expect(e).toMatchObject({ code: 'date-before-arrival', field: 'verifiedOn' });
    expect(verify(p, { verifiedOn: ARRIVED, outcome: 'present' }, TODAY, LATER).person.lastVerifiedOn).toBe(
      ARRIVED,
    );
  });

  it.each([
    ['departed', departed],
    ['closed', closed],
  ])('refuses to verify a %s registration', (_status, make) => {
    for (const outcome of verificationOutcomes) {
      const e = lifecycleError(() => verify(make(), { verifiedOn: '2024-06-01', outcome }, TODAY, LATER));
      expect(e.code).toBe('not-active');
    }
  });
});

describe('depart', () => {
  it.each(departureReasons)('writes the registration off with reason %s', (reason) => {
    const p = registered({ lastVerifiedOn: '2024-03-01' });
    const t = depart(p, { departedOn: '2024-05-01', reason }, TODAY, LATER);
    expect(t.action).toBe('departed');
    expect(t.person).toMatchObject({
      status: 'departed',
      departedOn: '2024-05-01',
      departureReason: reason,
      closedOn: null,
      lastVerifiedOn: '2024-03-01',
      version: 2,
      updatedAt: LATER,
    });
    expect([...t.changedFields].sort()).toEqual(['departedOn', 'departureReason', 'status']);
    expect(differingFields(p, t.person)).toEqual(['departedOn', 'departureReason', 'status']);
  });

  it('accepts today and the arrival day', () => {
    expect(depart(registered(), { departedOn: TODAY, reason: 'left' }, TODAY, LATER).person.status).toBe(
      'departed',
    );
    expect(depart(registered(), { departedOn: ARRIVED, reason: 'left' }, TODAY, LATER).person.status).toBe(
      'departed',
    );
  });

  it('refuses a departure in the future', () => {
    const e = lifecycleError(() =>
      depart(registered(), { departedOn: addDays(TODAY, 1), reason: 'left' }, TODAY, LATER),
    );
    expect(e).toMatchObject({ code: 'date-in-future', field: 'departedOn' });
  });

  it('refuses a departure before the arrival', () => {
    const e = lifecycleError(() =>
      depart(registered(), { departedOn: addDays(ARRIVED, -1), reason: 'left' }, TODAY, LATER),
    );
    expect(e).toMatchObject({ code: 'date-before-arrival', field: 'departedOn' });
  });

  it.each([
    ['departed', departed],
    ['closed', closed],
  ])('refuses to write off a %s registration', (_status, make) => {
    const e = lifecycleError(() =>
      depart(make(), { departedOn: '2024-06-01', reason: 'left' }, TODAY, LATER),
    );
    expect(e.code).toBe('not-active');
  });
});

describe('close', () => {
  it('closes an active registration as stale', () => {
    const p = registered();
    const t = close(p, '2024-06-30', LATER);
    expect(t.action).toBe('closed');
    expect(t.person).toMatchObject({
      status: 'closed',
      closedOn: '2024-06-30',
      departedOn: null,
      departureReason: null,
      version: 2,
      updatedAt: LATER,
    });
    expect([...t.changedFields].sort()).toEqual(['closedOn', 'status']);
  });

  it.each([
    ['departed', departed],
    ['closed', closed],
  ])('refuses to close a %s registration', (_status, make) => {
    expect(lifecycleError(() => close(make(), '2024-06-30', LATER)).code).toBe('not-active');
  });
});

describe('lastSeenOn', () => {
  it('is the last verification, else the arrival', () => {
    expect(lastSeenOn({ arrivedOn: '2024-01-01', lastVerifiedOn: null })).toBe('2024-01-01');
    expect(lastSeenOn({ arrivedOn: '2024-01-01', lastVerifiedOn: '2024-03-05' })).toBe('2024-03-05');
    expect(lastSeenOn(registered())).toBe(ARRIVED);
  });
});

describe('overdueBefore', () => {
  const isOverdue = (lastSeen: string, today: string, days: number) => lastSeen < overdueBefore(today, days);

  it('a date exactly N days ago is not overdue; N+1 days ago is', () => {
    for (const [today, n] of [
      ['2024-06-30', 90],
      ['2024-03-01', 120],
      ['2024-03-01', 1],
      ['2025-01-01', 365],
    ] as const) {
      expect(isOverdue(addDays(today, -n), today, n)).toBe(false);
      expect(isOverdue(addDays(today, -(n + 1)), today, n)).toBe(true);
      expect(isOverdue(today, today, n)).toBe(false);
    }
  });

  it('crosses Feb 29', () => {
    expect(overdueBefore('2024-03-01', 1)).toBe('2024-02-29');
    expect(overdueBefore('2023-03-01', 1)).toBe('2023-02-28');
  });

  it('"more than N days ago" agrees with daysBetween for any dates', () => {
    const date = fc.integer({ min: 0, max: 40_000 }).map((n) => addDays('1950-01-01', n));
    fc.assert(
      fc.property(date, date, fc.integer({ min: 0, max: 1000 }), (seen, today, n) => {
        expect(isOverdue(seen, today, n)).toBe(daysBetween(seen, today) > n);
      }),
    );
  });
});

describe('any sequence of operations', () => {
  type Op =
    | { kind: 'update'; changes: PersonChanges }
    | { kind: 'verify'; v: Verification }
    | { kind: 'depart'; on: string; reason: DepartureReason }
    | { kind: 'close'; on: string };

  const ARRIVAL = '2024-01-01';
  // from a few days before arrival to a few days after today
  const dateArb = fc
    .integer({ min: -5, max: daysBetween(ARRIVAL, TODAY) + 5 })
    .map((n) => addDays(ARRIVAL, n));
  const gridArb = fc.constantFrom('g_1', 'g_2', 'g_3');
  const changesArb: fc.Arbitrary<PersonChanges> = fc.record(
    {
      phone: fc.option(fc.constantFrom('13800000000', '13900000000'), { nil: null }),
      gridId: gridArb,
      address: fc.constantFrom('A 1', 'B 2'),
      maritalStatus: fc.constantFrom(...maritalStatuses),
      occupation: fc.option(fc.constantFrom('cook', 'driver'), { nil: null }),
      employer: fc.option(fc.constantFrom('ACME', 'Initech'), { nil: null }),
    },
    { requiredKeys: [] },
  );
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    changesArb.map((changes) => ({ kind: 'update' as const, changes })),
    fc
      .record(
        {
          verifiedOn: dateArb,
          outcome: fc.constantFrom(...verificationOutcomes),
          gridId: gridArb,
          address: fc.constantFrom('A 1', 'C 3'),
        },
        { requiredKeys: ['verifiedOn', 'outcome'] },
      )
      .map((v) => ({ kind: 'verify' as const, v })),
    fc
      .record({ on: dateArb, reason: fc.constantFrom(...departureReasons) })
      .map((d) => ({ kind: 'depart' as const, ...d })),
    dateArb.map((on) => ({ kind: 'close' as const, on })),
  );

  const apply = (p: Person, op: Op): Transition => {
    switch (op.kind) {
      case 'update':
        return update(p, op.changes, LATER);
      case 'verify':
        return verify(p, op.v, TODAY, LATER);
      case 'depart':
        return depart(p, { departedOn: op.on, reason: op.reason }, TODAY, LATER);
      case 'close':
        return close(p, op.on, LATER);
    }
  };

  it('never changes a non-active person; version = 1 + successful transitions; changedFields exact', () => {
    fc.assert(
      fc.property(
        fc.option(
          dateArb.filter((d) => d >= ARRIVAL && d <= TODAY),
          { nil: null },
        ),
        fc.array(opArb, { maxLength: 25 }),
        (lastVerifiedOn, ops) => {
          let p = register(input({ arrivedOn: ARRIVAL, lastVerifiedOn }), ids, TODAY, NOW).person;
          let successes = 0;
          for (const op of ops) {
            const before = p;
            const snapshot = structuredClone(p);
            let t: Transition | undefined;
            try {
              t = apply(p, op);
            } catch (error) {
              expect(error).toBeInstanceOf(LifecycleError);
              if (before.status !== 'active') expect((error as LifecycleError).code).toBe('not-active');
            }
            // the input is never mutated, whatever happened
            expect(before).toEqual(snapshot);
            if (t) {
              expect(before.status).toBe('active');
              successes++;
              expect([...t.changedFields].sort()).toEqual(differingFields(before, t.person));
              expect(t.person.personId).toBe(before.personId);
              expect(t.person.arrivedOn).toBe(before.arrivedOn);
              if (before.lastVerifiedOn !== null) {
                expect(
                  t.person.lastVerifiedOn !== null && t.person.lastVerifiedOn >= before.lastVerifiedOn,
                ).toBe(true);
              }
              p = t.person;
            }
            expect(p.version).toBe(1 + successes);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
