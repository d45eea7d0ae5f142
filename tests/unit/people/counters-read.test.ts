import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Counters,
  countersOn,
  peopleContributions,
  peopleCounters,
  zeroCounters,
} from '../../../shared/modules/people/counters.js';
import { flows, maritalStatuses, statuses } from '../../../shared/modules/people/rules/person.js';
import { sum } from '../../../shared/modules/statistics/engine.js';
import type { StoredRecord } from '../../../shared/platform/counting.js';
import { addDays, addYears, ageOn, daysBetween } from '../../../shared/platform/dates.js';
import { defaultSettings } from '../../../shared/platform/settings.js';
import { gaugesOf, person } from './counter-fixtures.js';

describe('countersOn', () => {
  const TODAY = '2024-06-30';
  const gauges = (...records: StoredRecord[]) => gaugesOf(sum(records.map((r) => peopleContributions(r))));
  const womanBornOn = (birthDate: string, over: Record<string, unknown> = {}) =>
    person({ birthDate, arrivedOn: '2024-01-01', lastVerifiedOn: '2024-06-01', ...over });

  it('is all zeros for no gauges', () => {
    expect(countersOn(new Map(), TODAY, 90)).toEqual(zeroCounters());
  });

  it.each(['2000-05-17', '2000-02-29', '1996-02-29', '1976-02-29', '1980-12-31', '1985-01-01', '1999-03-01'])(
    '15th birthday (born %s): counts on the day, not the day before',
    (birthDate) => {
      const g = gauges(womanBornOn(birthDate));
      const birthday = addYears(birthDate, 15);
      expect(countersOn(g, birthday, 90).inflowWomenOfChildbearingAge).toBe(1);
      expect(countersOn(g, birthday, 90).inflowMarriedWomenOfChildbearingAge).toBe(1);
      expect(countersOn(g, addDays(birthday, -1), 90).inflowWomenOfChildbearingAge).toBe(0);
      expect(countersOn(g, addDays(birthday, -1), 90).inflowMarriedWomenOfChildbearingAge).toBe(0);
    },
  );

  it.each(['1970-05-17', '1972-02-29', '1976-02-29', '1964-02-29', '1960-12-31', '1965-01-01', '1968-03-01'])(
    '50th birthday (born %s): does not count on the day, counts the day before',
    (birthDate) => {
      const g = gauges(womanBornOn(birthDate, { flow: 'outflow' }));
      const birthday = addYears(birthDate, 50);
      expect(countersOn(g, birthday, 90).outflowWomenOfChildbearingAge).toBe(0);
      expect(countersOn(g, birthday, 90).outflowMarriedWomenOfChildbearingAge).toBe(0);
      expect(countersOn(g, addDays(birthday, -1), 90).outflowWomenOfChildbearingAge).toBe(1);
      expect(countersOn(g, addDays(birthday, -1), 90).outflowMarriedWomenOfChildbearingAge).toBe(1);
    },
  );

  it('a Feb-29 birthday falls on Feb 28 in common years', () => {
    const g = gauges(womanBornOn('2008-02-29'));
    expect(countersOn(g, '2023-02-27', 90).inflowWomenOfChildbearingAge).toBe(0);
    expect(countersOn(g, '2023-02-28', 90).inflowWomenOfChildbearingAge).toBe(1);
    const leap = gauges(womanBornOn('1960-02-29'));
    // she turns 50 on 2010-02-28 (common year)
    expect(countersOn(leap, '2010-02-27', 90).inflowWomenOfChildbearingAge).toBe(1);
    expect(countersOn(leap, '2010-02-28', 90).inflowWomenOfChildbearingAge).toBe(0);
    const leapBirthday = gauges(womanBornOn('1956-02-29'));
    // turns 48 on 2004-02-29, 49 on 2005-02-28, 50 on 2006-02-28
    expect(countersOn(leapBirthday, '2006-02-27', 90).inflowWomenOfChildbearingAge).toBe(1);
    expect(countersOn(leapBirthday, '2006-02-28', 90).inflowWomenOfChildbearingAge).toBe(0);
  });

  it('counts married women of childbearing age among all of them, by flow', () => {
    const g = gauges(
      womanBornOn('1990-01-01'),
      womanBornOn('1991-01-01', { maritalStatus: 'single' }),
      womanBornOn('1992-01-01', { maritalStatus: 'divorced' }),
      womanBornOn('1993-01-01', { flow: 'outflow' }),
      womanBornOn('1994-01-01', { flow: 'outflow', maritalStatus: 'widowed' }),
      womanBornOn('1960-01-01'), // 64: too old
      womanBornOn('2015-01-01'), // 9: too young
      person({ sex: 'male', birthDate: '1990-01-01', arrivedOn: '2024-01-01', lastVerifiedOn: '2024-06-01' }),
    );
    expect(countersOn(g, TODAY, 90)).toEqual({
      floatingPopulation: 8,
      inflow: 6,
      outflow: 2,
      inflowWomenOfChildbearingAge: 3,
      outflowWomenOfChildbearingAge: 2,
      inflowMarriedWomenOfChildbearingAge: 1,
      outflowMarriedWomenOfChildbearingAge: 1,
      verificationDue: 0,
    } satisfies Counters);
  });

  it('verificationDue: last verified exactly N days ago is not due; N+1 days ago is', () => {
    const n = 90;
    const exactly = person({ arrivedOn: '2023-01-01', lastVerifiedOn: addDays(TODAY, -n) });
    const oneMore = person({ arrivedOn: '2023-01-01', lastVerifiedOn: addDays(TODAY, -(n + 1)) });
    expect(countersOn(gauges(exactly), TODAY, n).verificationDue).toBe(0);
    expect(countersOn(gauges(oneMore), TODAY, n).verificationDue).toBe(1);
    expect(countersOn(gauges(exactly, oneMore, oneMore), TODAY, n).verificationDue).toBe(2);
  });

  it('verificationDue uses arrivedOn when never verified', () => {
    const n = 30;
    expect(countersOn(gauges(person({ arrivedOn: addDays(TODAY, -n) })), TODAY, n).verificationDue).toBe(0);
    expect(
      countersOn(gauges(person({ arrivedOn: addDays(TODAY, -(n + 1)) })), TODAY, n).verificationDue,
    ).toBe(1);
  });

  it('a recent verification overrides an old arrival', () => {
    const p = person({ arrivedOn: '2020-01-01', lastVerifiedOn: addDays(TODAY, -10) });
    expect(countersOn(gauges(p), TODAY, 90).verificationDue).toBe(0);
  });

  it('a person falls due with the passing of days, with no write', () => {
    const g = gauges(person({ arrivedOn: '2024-01-01', lastVerifiedOn: '2024-03-01' }));
    expect(countersOn(g, addDays('2024-03-01', 90), 90).verificationDue).toBe(0);
    expect(countersOn(g, addDays('2024-03-01', 91), 90).verificationDue).toBe(1);
  });

  it('floatingPopulation is inflow + outflow, and departed or closed people are not counted', () => {
    const g = gauges(
      person({ flow: 'inflow' }),
      person({ flow: 'inflow', sex: 'male' }),
      person({ flow: 'outflow' }),
      person({ status: 'departed', departedOn: '2024-04-01' }),
      person({ status: 'closed', closedOn: '2024-05-01', flow: 'outflow' }),
    );
    const c = countersOn(g, TODAY, 90);
    expect(c.inflow).toBe(2);
    expect(c.outflow).toBe(1);
    expect(c.floatingPopulation).toBe(3);
  });

  it('agrees with a direct count over the records (property)', () => {
    const date = (from: string, days: number) =>
      fc.integer({ min: 0, max: days }).map((n) => addDays(from, n));
    const recordArb = fc
      .record({
        status: fc.constantFrom(...statuses),
        flow: fc.constantFrom(...flows),
        sex: fc.constantFrom('female', 'male'),
        birthDate: date('1960-01-01', 60 * 366),
        maritalStatus: fc.constantFrom(...maritalStatuses),
        arrivedOn: date('2022-01-01', 900),
        verifiedAfter: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
      })
      .map(
        ({ verifiedAfter, ...r }): StoredRecord => ({
          entity: 'person',
          gridId: 'g1',
          ...r,
          lastVerifiedOn: verifiedAfter === null ? null : addDays(r.arrivedOn, verifiedAfter),
          departedOn: r.status === 'departed' ? r.arrivedOn : null,
          closedOn: r.status === 'closed' ? r.arrivedOn : null,
        }),
      );
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 30 }),
        date('2023-01-01', 1500),
        fc.integer({ min: 0, max: 400 }),
        (records, today, cycle) => {
          const expected = zeroCounters();
          for (const r of records) {
            if (r.status !== 'active') continue;
            const flow = r.flow as 'inflow' | 'outflow';
            expected[flow]++;
            const age = ageOn(r.birthDate as string, today);
            if (r.sex === 'female' && age >= 15 && age <= 49) {
              expected[`${flow}WomenOfChildbearingAge`]++;
              if (r.maritalStatus === 'married') expected[`${flow}MarriedWomenOfChildbearingAge`]++;
            }
            const seen = (r.lastVerifiedOn ?? r.arrivedOn) as string;
            if (daysBetween(seen, today) > cycle) expected.verificationDue++;
          }
          expected.floatingPopulation = expected.inflow + expected.outflow;
          expect(countersOn(gauges(...records), today, cycle)).toEqual(expected);
        },
      ),
    );
  });
});

describe('the people plug-in reads its gauges', () => {
  const TODAY = '2024-06-30';
  const g = gaugesOf(
    sum(
      [
        person({ arrivedOn: '2024-01-01', lastVerifiedOn: addDays(TODAY, -40) }),
        person({ flow: 'outflow', sex: 'male', arrivedOn: addDays(TODAY, -200) }),
        person({ flow: 'outflow', birthDate: '1960-01-01', arrivedOn: '2024-01-01' }),
      ].map((r) => peopleContributions(r)),
    ),
  );

  it('as countersOn on the tenant’s today with its verificationCycleDays', () => {
    for (const verificationCycleDays of [30, 90, 365]) {
      const settings = { ...defaultSettings, verificationCycleDays };
      expect(peopleCounters.read(g, { today: TODAY, settings })).toEqual({
        ...countersOn(g, TODAY, verificationCycleDays),
      });
    }
    // the cycle is what moves verificationDue, nothing else
    const at = (verificationCycleDays: number) =>
      peopleCounters.read(g, { today: TODAY, settings: { ...defaultSettings, verificationCycleDays } });
    expect(at(30).verificationDue).toBe(3);
    expect(at(90).verificationDue).toBe(2);
    expect(at(365).verificationDue).toBe(0);
  });

  it('reports exactly its declared fields, the contract’s counters', () => {
    expect([...peopleCounters.fields].sort()).toEqual(Object.keys(zeroCounters()).sort());
    const read = peopleCounters.read(new Map(), { today: TODAY, settings: defaultSettings });
    expect(Object.keys(read).sort()).toEqual([...peopleCounters.fields].sort());
    expect(read).toEqual({ ...zeroCounters() });
  });
});
