import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Contributions,
  type Counters,
  contributions,
  countersOn,
  delta,
  itemId,
  itemRef,
  MalformedRecordError,
  monthlyFlows,
  type StoredRecord,
  sum,
  womenBucketOf,
  zeroCounters,
} from '../../shared/domain/counters.js';
import { addDays, addYears, ageOn, daysBetween, monthOf } from '../../shared/domain/dates.js';
import { flows, maritalStatuses, statuses } from '../../shared/domain/person.js';

type Fields = Record<string, number>;
type Plain = Record<string, Fields>;

/** A contributions map as a plain object, for readable comparisons. */
/**
 * A contributions map as plain objects, with each grid's women-by-birth-year items folded into
 * its gauges (the storage split is asserted on its own in 'women are stored by span of birth years').
 */
const plain = (c: Contributions): Plain => {
  const out: Plain = {};
  for (const [id, fields] of c) {
    const ref = itemRef(id);
    const key = ref.kind === 'women' ? itemId({ gridId: ref.gridId, kind: 'gauges' }) : id;
    out[key] = { ...(out[key] ?? {}), ...Object.fromEntries(fields) };
  }
  return out;
};

const person = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'person',
  gridId: 'g1',
  status: 'active',
  flow: 'inflow',
  sex: 'female',
  birthDate: '1990-05-05',
  maritalStatus: 'married',
  arrivedOn: '2024-03-10',
  lastVerifiedOn: null,
  departedOn: null,
  closedOn: null,
  ...over,
});

const verification = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'history',
  action: 'verified',
  gridId: 'g1',
  verifiedOn: '2024-04-02',
  ...over,
});

/** The gauge fields of one grid from a contributions map (gauges + women items, as stats read them). */
const gaugesOf = (c: Contributions, gridId = 'g1'): ReadonlyMap<string, number> =>
  new Map(
    [...c].flatMap(([id, fields]) => {
      const ref = itemRef(id);
      return ref.gridId === gridId && ref.kind !== 'month' ? [...fields] : [];
    }),
  );

/** The month items of a contributions map, as monthlyFlows takes them. */
const monthsOf = (c: Contributions, gridId?: string) =>
  [...c].flatMap(([id, fields]) => {
    const ref = itemRef(id);
    return ref.kind === 'month' && (gridId === undefined || ref.gridId === gridId)
      ? [{ month: ref.month, fields }]
      : [];
  });

describe('women are stored by span of birth years', () => {
  it('in one item per grid and 5-year span of birth years, so no counter item grows without bound', () => {
    const c = contributions(person({ birthDate: '1993-05-05' }));
    expect(Object.fromEntries(c.get('g1|women|1990') ?? [])).toEqual({
      'women|inflow|married|1993-05-05': 1,
    });
    expect(womenBucketOf('1995-01-01')).toBe('1995');
    expect(womenBucketOf('1999-12-31')).toBe('1995');
    expect(womenBucketOf('2000-02-29')).toBe('2000');
    expect([...(c.get('g1|gauges')?.keys() ?? [])].some((f) => f.startsWith('women|'))).toBe(false);
    expect(itemRef('g1|women|1990')).toEqual({ gridId: 'g1', kind: 'women', year: '1990' });
    expect(itemId({ gridId: 'g1', kind: 'women', year: '1990' })).toBe('g1|women|1990');
  });
});

describe('item ids', () => {
  it('round-trip through itemId/itemRef', () => {
    expect(itemId({ gridId: 'g_1', kind: 'gauges' })).toBe('g_1|gauges');
    expect(itemId({ gridId: 'g_1', kind: 'month', month: '2024-03' })).toBe('g_1|month|2024-03');
    expect(itemRef('g_1|gauges')).toEqual({ gridId: 'g_1', kind: 'gauges' });
    expect(itemRef('g_1|month|2024-03')).toEqual({ gridId: 'g_1', kind: 'month', month: '2024-03' });
    expect(() => itemRef('g_1|other')).toThrow();
    expect(() => itemRef('|gauges')).toThrow();
  });
});

describe('contributions', () => {
  it('counts nothing for no record and for entities that are not counted', () => {
    expect(contributions(undefined).size).toBe(0);
    for (const entity of ['grid', 'tenant', 'apiKey', 'counter', 'reconciliation', undefined]) {
      expect(contributions({ entity, gridId: 'g1', status: 'active', arrivedOn: '2024-01-01' }).size).toBe(0);
    }
    for (const action of ['registered', 'updated', 'departed', 'closed']) {
      expect(contributions(verification({ action })).size).toBe(0);
    }
  });

  it('an active married inflow woman: registered in her arrival month, flow, women and last-seen gauges', () => {
    expect(plain(contributions(person()))).toEqual({
      'g1|month|2024-03': { registered: 1 },
      'g1|gauges': {
        'flow|inflow': 1,
        'women|inflow|married|1990-05-05': 1,
        'seen|2024-03-10': 1,
      },
    });
  });

  it.each(flows.flatMap((flow) => maritalStatuses.map((maritalStatus) => [flow, maritalStatus] as const)))(
    'an active %s %s woman',
    (flow, maritalStatus) => {
      const married = maritalStatus === 'married' ? 'married' : 'other';
      expect(plain(contributions(person({ flow, maritalStatus })))).toEqual({
        'g1|month|2024-03': { registered: 1 },
        'g1|gauges': {
          [`flow|${flow}`]: 1,
          [`women|${flow}|${married}|1990-05-05`]: 1,
          'seen|2024-03-10': 1,
        },
      });
    },
  );

  it.each(flows.flatMap((flow) => maritalStatuses.map((maritalStatus) => [flow, maritalStatus] as const)))(
    'an active %s %s man counts in no women gauge',
    (flow, maritalStatus) => {
      expect(plain(contributions(person({ sex: 'male', flow, maritalStatus })))).toEqual({
        'g1|month|2024-03': { registered: 1 },
        'g1|gauges': { [`flow|${flow}`]: 1, 'seen|2024-03-10': 1 },
      });
    },
  );

  it('a man needs no birthDate to be counted', () => {
    expect(() => contributions(person({ sex: 'male', birthDate: undefined }))).not.toThrow();
  });

  it('last seen is lastVerifiedOn when set, else arrivedOn', () => {
    const g = gaugesOf(contributions(person({ lastVerifiedOn: '2024-05-20' })));
    expect(g.get('seen|2024-05-20')).toBe(1);
    expect(g.has('seen|2024-03-10')).toBe(false);
  });

  it.each([
    ['female', 'inflow'],
    ['male', 'outflow'],
  ])(
    'a departed %s %s registration: registered in arrival month, departed in departure month, no gauges',
    (sex, flow) => {
      const c = contributions(person({ sex, flow, status: 'departed', departedOn: '2024-07-31' }));
      expect(plain(c)).toEqual({
        'g1|month|2024-03': { registered: 1 },
        'g1|month|2024-07': { departed: 1 },
      });
    },
  );

  it('a departure in the arrival month shares the month item', () => {
    const c = contributions(person({ status: 'departed', departedOn: '2024-03-31' }));
    expect(plain(c)).toEqual({ 'g1|month|2024-03': { registered: 1, departed: 1 } });
  });

  it.each([
    ['female', 'outflow'],
    ['male', 'inflow'],
  ])('a closed %s %s registration: closedStale in the month it was closed, no gauges', (sex, flow) => {
    const c = contributions(person({ sex, flow, status: 'closed', closedOn: '2025-01-01' }));
    expect(plain(c)).toEqual({
      'g1|month|2024-03': { registered: 1 },
      'g1|month|2025-01': { closedStale: 1 },
    });
  });

  it('a verification history record counts as verified in its grid and month', () => {
    expect(plain(contributions(verification({ gridId: 'g7', verifiedOn: '2024-12-31' })))).toEqual({
      'g7|month|2024-12': { verified: 1 },
    });
  });

  it.each([
    ['gridId', { gridId: undefined }],
    ['empty gridId', { gridId: '' }],
    ['status', { status: undefined }],
    ['flow', { flow: undefined }],
    ['arrivedOn', { arrivedOn: undefined }],
    ['non-string arrivedOn', { arrivedOn: 20240310 }],
    ['sex of an active person', { sex: undefined }],
    ['birthDate of an active woman', { birthDate: undefined }],
    ['departedOn of a departed person', { status: 'departed', departedOn: null }],
    ['closedOn of a closed person', { status: 'closed', closedOn: undefined }],
    ['a known status', { status: 'deleted' }],
  ])('a person without %s is a MalformedRecordError', (_what, over) => {
    expect(() => contributions(person(over))).toThrow(MalformedRecordError);
  });

  it.each([
    ['gridId', { gridId: undefined }],
    ['verifiedOn', { verifiedOn: undefined }],
    ['non-empty verifiedOn', { verifiedOn: '' }],
  ])('a verification without %s is a MalformedRecordError', (_what, over) => {
    expect(() => contributions(verification(over))).toThrow(MalformedRecordError);
  });

  // A corrupted date is poison for one record (batchItemFailures), not a crash of the batch.
  it('a person whose arrivedOn is not a date is a MalformedRecordError (poison), not a crash', () => {
    expect(() => contributions(person({ arrivedOn: 'not-a-date' }))).toThrow(MalformedRecordError);
  });
});

describe('delta', () => {
  it('a registration (no old image) adds its contributions', () => {
    const p = person();
    expect(plain(delta(undefined, p))).toEqual(plain(contributions(p)));
  });

  it('a removal (no new image) subtracts them', () => {
    expect(plain(delta(person(), undefined))).toEqual({
      'g1|month|2024-03': { registered: -1 },
      'g1|gauges': {
        'flow|inflow': -1,
        'women|inflow|married|1990-05-05': -1,
        'seen|2024-03-10': -1,
      },
    });
  });

  it('no images, or identical images, change nothing', () => {
    expect(delta(undefined, undefined).size).toBe(0);
    expect(delta(person(), person()).size).toBe(0);
    expect(delta(verification(), verification()).size).toBe(0);
  });

  it('a phone-only change is an empty delta', () => {
    expect(delta(person({ phone: '13800000001' }), person({ phone: '13900000002' })).size).toBe(0);
  });

  it('a move between grids moves the gauges and the month of registration', () => {
    expect(plain(delta(person(), person({ gridId: 'g2' })))).toEqual({
      'g1|month|2024-03': { registered: -1 },
      'g1|gauges': {
        'flow|inflow': -1,
        'women|inflow|married|1990-05-05': -1,
        'seen|2024-03-10': -1,
      },
      'g2|month|2024-03': { registered: 1 },
      'g2|gauges': {
        'flow|inflow': 1,
        'women|inflow|married|1990-05-05': 1,
        'seen|2024-03-10': 1,
      },
    });
  });

  it('a verification moves the last-seen day only', () => {
    expect(plain(delta(person(), person({ lastVerifiedOn: '2024-06-01' })))).toEqual({
      'g1|gauges': { 'seen|2024-03-10': -1, 'seen|2024-06-01': 1 },
    });
  });

  it('a marriage moves the woman between the married and other gauges', () => {
    expect(plain(delta(person({ maritalStatus: 'single' }), person({ maritalStatus: 'married' })))).toEqual({
      'g1|gauges': { 'women|inflow|other|1990-05-05': -1, 'women|inflow|married|1990-05-05': 1 },
    });
  });

  it('a departure removes the gauges and adds the departed month; registered is unchanged', () => {
    const old = person({ lastVerifiedOn: '2024-04-01' });
    expect(plain(delta(old, { ...old, status: 'departed', departedOn: '2024-06-15' }))).toEqual({
      'g1|gauges': {
        'flow|inflow': -1,
        'women|inflow|married|1990-05-05': -1,
        'seen|2024-04-01': -1,
      },
      'g1|month|2024-06': { departed: 1 },
    });
  });

  it('a stale closure removes the gauges and adds closedStale in the month it was closed', () => {
    const old = person({ sex: 'male', flow: 'outflow' });
    expect(plain(delta(old, { ...old, status: 'closed', closedOn: '2024-08-01' }))).toEqual({
      'g1|gauges': { 'flow|outflow': -1, 'seen|2024-03-10': -1 },
      'g1|month|2024-08': { closedStale: 1 },
    });
  });

  it('a new verification record adds one verified', () => {
    expect(plain(delta(undefined, verification()))).toEqual({ 'g1|month|2024-04': { verified: 1 } });
  });

  it('never contains zero entries', () => {
    const d = delta(person(), person({ lastVerifiedOn: '2024-06-01', phone: 'x' }));
    for (const fields of d.values()) {
      expect(fields.size).toBeGreaterThan(0);
      for (const n of fields.values()) expect(n).not.toBe(0);
    }
  });
});

describe('sum', () => {
  it('is empty for nothing', () => {
    expect(sum([]).size).toBe(0);
  });

  it('collapses a batch: consecutive deltas sum to the delta from first to last', () => {
    const a = person();
    const b = person({ lastVerifiedOn: '2024-05-01' });
    const c = person({ lastVerifiedOn: '2024-05-01', gridId: 'g2' });
    const d = { ...c, status: 'departed', departedOn: '2024-06-01' };
    expect(plain(sum([delta(a, b), delta(b, c), delta(c, d)]))).toEqual(plain(delta(a, d)));
    expect(plain(sum([delta(undefined, a), delta(a, undefined)]))).toEqual({});
  });

  it('adds the same field of the same item', () => {
    const p = person();
    expect(plain(sum([contributions(p), contributions(p), contributions(verification())]))).toEqual({
      'g1|month|2024-03': { registered: 2 },
      'g1|month|2024-04': { verified: 1 },
      'g1|gauges': {
        'flow|inflow': 2,
        'women|inflow|married|1990-05-05': 2,
        'seen|2024-03-10': 2,
      },
    });
  });

  it('does not modify its inputs', () => {
    const a = contributions(person());
    const before = plain(a);
    sum([a, delta(person(), undefined)]);
    expect(plain(a)).toEqual(before);
  });
});

describe('countersOn', () => {
  const TODAY = '2024-06-30';
  const gauges = (...records: StoredRecord[]) => gaugesOf(sum(records.map((r) => contributions(r))));
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

describe('monthlyFlows', () => {
  const month = (m: string, fields: Fields) => ({ month: m, fields: new Map(Object.entries(fields)) });

  it('fills every month of the inclusive range with zeros, across a year end', () => {
    expect(monthlyFlows('2024-11', '2025-02', [])).toEqual(
      ['2024-11', '2024-12', '2025-01', '2025-02'].map((m) => ({
        month: m,
        registered: 0,
        departed: 0,
        closedStale: 0,
        verified: 0,
        writeOffRate: null,
      })),
    );
  });

  it('a one-month range has one row; a reversed range has none', () => {
    expect(monthlyFlows('2024-05', '2024-05', []).map((r) => r.month)).toEqual(['2024-05']);
    expect(monthlyFlows('2024-06', '2024-05', [])).toEqual([]);
  });

  it('sums items of the same month (several grids) and ignores months outside the range', () => {
    const rows = monthlyFlows('2024-01', '2024-02', [
      month('2024-01', { registered: 2, verified: 1 }),
      month('2024-01', { registered: 3, departed: 1 }),
      month('2024-02', { closedStale: 4 }),
      month('2023-12', { registered: 100 }),
      month('2024-03', { departed: 100 }),
    ]);
    expect(rows).toEqual([
      { month: '2024-01', registered: 5, departed: 1, closedStale: 0, verified: 1, writeOffRate: 1 },
      { month: '2024-02', registered: 0, departed: 0, closedStale: 4, verified: 0, writeOffRate: 0 },
    ]);
  });

  it('writeOffRate = departed / (departed + closedStale), null when both are 0', () => {
    const rate = (fields: Fields) =>
      monthlyFlows('2024-01', '2024-01', [month('2024-01', fields)])[0]?.writeOffRate;
    expect(rate({ departed: 3, closedStale: 1 })).toBe(0.75);
    expect(rate({ departed: 1, closedStale: 2 })).toBeCloseTo(1 / 3, 12);
    expect(rate({ departed: 2 })).toBe(1);
    expect(rate({ closedStale: 2 })).toBe(0);
    expect(rate({ registered: 5, verified: 9 })).toBeNull();
    expect(rate({})).toBeNull();
  });

  it('puts registrations on the first and last day of a month in that month', () => {
    const records = [
      person({ arrivedOn: '2024-01-01' }),
      person({ arrivedOn: '2024-01-31' }),
      person({ arrivedOn: '2024-02-01' }),
      person({ arrivedOn: '2024-02-29' }),
      person({ arrivedOn: '2024-12-31' }),
      person({ arrivedOn: '2025-01-01' }),
    ];
    const rows = monthlyFlows('2024-01', '2025-01', monthsOf(sum(records.map((r) => contributions(r)))));
    const registered = Object.fromEntries(rows.map((r) => [r.month, r.registered]));
    expect(registered).toEqual({
      '2024-01': 2,
      '2024-02': 2,
      '2024-03': 0,
      '2024-04': 0,
      '2024-05': 0,
      '2024-06': 0,
      '2024-07': 0,
      '2024-08': 0,
      '2024-09': 0,
      '2024-10': 0,
      '2024-11': 0,
      '2024-12': 1,
      '2025-01': 1,
    });
  });

  it('counts departures by departedOn, closures by closedOn and verifications by verifiedOn', () => {
    const records = [
      person({ arrivedOn: '2024-11-30', status: 'departed', departedOn: '2024-12-31' }),
      person({ arrivedOn: '2024-11-01', status: 'departed', departedOn: '2025-01-01' }),
      person({ arrivedOn: '2024-11-15', status: 'closed', closedOn: '2025-01-31' }),
      verification({ verifiedOn: '2024-12-01' }),
      verification({ verifiedOn: '2025-01-01' }),
      verification({ verifiedOn: '2025-01-31' }),
    ];
    const rows = monthlyFlows('2024-11', '2025-01', monthsOf(sum(records.map((r) => contributions(r)))));
    expect(rows).toEqual([
      { month: '2024-11', registered: 3, departed: 0, closedStale: 0, verified: 0, writeOffRate: null },
      { month: '2024-12', registered: 0, departed: 1, closedStale: 0, verified: 1, writeOffRate: 1 },
      { month: '2025-01', registered: 0, departed: 1, closedStale: 1, verified: 2, writeOffRate: 0.5 },
    ]);
  });
});

describe('the aggregator and the reconciler agree (property)', () => {
  const dateArb = fc.integer({ min: 0, max: 1200 }).map((n) => addDays('2022-11-15', n));
  const personArb: fc.Arbitrary<StoredRecord> = fc
    .record({
      gridId: fc.constantFrom('g1', 'g2', 'g3'),
      status: fc.constantFrom(...statuses),
      flow: fc.constantFrom(...flows),
      sex: fc.constantFrom('female', 'male'),
      birthDate: fc.integer({ min: 0, max: 25_000 }).map((n) => addDays('1950-01-01', n)),
      maritalStatus: fc.constantFrom(...maritalStatuses),
      arrivedOn: dateArb,
      lastVerifiedOn: fc.option(dateArb, { nil: null }),
      departedOn: dateArb,
      closedOn: dateArb,
      phone: fc.option(fc.constantFrom('13800000000', '13900000000'), { nil: null }),
    })
    .map((r) => ({
      entity: 'person',
      ...r,
      departedOn: r.status === 'departed' ? r.departedOn : null,
      closedOn: r.status === 'closed' ? r.closedOn : null,
    }));
  const historyArb: fc.Arbitrary<StoredRecord> = fc.record({
    entity: fc.constant('history'),
    action: fc.constantFrom('verified', 'verified', 'updated', 'registered'),
    gridId: fc.constantFrom('g1', 'g2', 'g3'),
    verifiedOn: dateArb,
  });
  const otherArb: fc.Arbitrary<StoredRecord> = fc.record({
    entity: fc.constantFrom('grid', 'tenant', 'apiKey'),
    gridId: fc.constantFrom('g1', 'g2'),
  });

  /** One table item's history: its successive images (undefined = not there / deleted). */
  const itemHistoryArb: fc.Arbitrary<(StoredRecord | undefined)[]> = fc.oneof(
    // a person: written several times, possibly deleted at the end
    fc
      .array(personArb, { minLength: 1, maxLength: 6 })
      .chain((images) => fc.boolean().map((deleted) => (deleted ? [...images, undefined] : images))),
    // history records and other entities are written once
    historyArb.map((h) => [h]),
    otherArb.map((o) => [o]),
  );

  it('sum of contributions over the final records = the deltas of every write, in any interleaving', () => {
    fc.assert(
      fc.property(
        fc.array(itemHistoryArb, { maxLength: 12 }).chain((histories) => {
          // every write as (item, step); shuffled, but each item's writes kept in order
          const writes = histories.flatMap((h, item) => h.map((_, step) => ({ item, step })));
          return fc
            .shuffledSubarray(writes, { minLength: writes.length, maxLength: writes.length })
            .map((order) => ({ histories, order }));
        }),
        ({ histories, order }) => {
          // restore per-item order while keeping the cross-item interleaving
          const next = histories.map(() => 0);
          const stream: { old: StoredRecord | undefined; new: StoredRecord | undefined }[] = [];
          for (const { item } of order) {
            const h = histories[item] as (StoredRecord | undefined)[];
            const step = next[item] as number;
            next[item] = step + 1;
            stream.push({ old: step === 0 ? undefined : h[step - 1], new: h[step] });
          }
          const finals = histories
            .map((h) => h[h.length - 1])
            .filter((r): r is StoredRecord => r !== undefined);

          const reconciled = plain(sum(finals.map((r) => contributions(r))));
          // the aggregator, one write at a time
          let running: Contributions = new Map();
          for (const w of stream) running = sum([running, delta(w.old, w.new)]);
          expect(plain(running)).toEqual(reconciled);
          // the aggregator, the whole stream collapsed as one batch
          expect(plain(sum(stream.map((w) => delta(w.old, w.new))))).toEqual(reconciled);
          // and every month field of the reconciled counters is a count, never negative
          for (const fields of Object.values(reconciled))
            for (const n of Object.values(fields)) expect(n).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('monthOf is what puts a record in its month', () => {
    fc.assert(
      fc.property(personArb, (r) => {
        const id = itemId({
          gridId: r.gridId as string,
          kind: 'month',
          month: monthOf(r.arrivedOn as string),
        });
        expect(contributions(r).get(id)?.get('registered')).toBe(1);
      }),
    );
  });
});
