import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  close,
  type DepartureReason,
  depart,
  departureReasons,
  LifecycleError,
  maritalStatuses,
  type Person,
  type PersonChanges,
  register,
  type Transition,
  update,
  type Verification,
  verificationOutcomes,
  verify,
} from '../../../shared/modules/people/rules/person.js';
import { addDays, daysBetween } from '../../../shared/platform/dates.js';
import { differingFields, ids, input, LATER, NOW, TODAY } from './person-fixtures.js';

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
  const houseArb = fc.option(fc.constantFrom('h_1', 'h_2'), { nil: null });
  const changesArb: fc.Arbitrary<PersonChanges> = fc.record(
    {
      phone: fc.option(fc.constantFrom('13800000000', '13900000000'), { nil: null }),
      gridId: gridArb,
      houseId: houseArb,
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
          houseId: houseArb,
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
              // a house never moves grids: a new grid without a named house leaves the house
              const named =
                op.kind === 'update' ? op.changes.houseId : op.kind === 'verify' ? op.v.houseId : undefined;
              if (t.person.gridId !== before.gridId && named === undefined)
                expect(t.person.houseId).toBeNull();
              else if (named !== undefined) expect(t.person.houseId).toBe(named);
              else expect(t.person.houseId).toBe(before.houseId);
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
