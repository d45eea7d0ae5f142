import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engine } from '../../../shared/app/index.js';
import {
  houseBucketCount,
  houseBucketOf,
  housingContributions,
  housingCounters,
  housingCountersOn,
  occupantsOf,
  zeroHousingCounters,
} from '../../../shared/modules/housing/counters.js';
import { sum } from '../../../shared/modules/statistics/engine.js';
import { monthlyFlows } from '../../../shared/modules/statistics/read.js';
import {
  type Contributions,
  counterItemRef,
  MalformedRecordError,
  type StoredRecord,
} from '../../../shared/platform/counting.js';
import { addDays, monthOf } from '../../../shared/platform/dates.js';
import { defaultSettings } from '../../../shared/platform/settings.js';

const TODAY = '2026-03-15';
const plain = (c: Contributions) => Object.fromEntries([...c].map(([id, f]) => [id, Object.fromEntries(f)]));

const house = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'house',
  houseId: 'h_1',
  gridId: 'g1',
  status: 'registered',
  maxOccupants: null,
  registeredOn: '2026-01-10',
  version: 1,
  ...over,
});
const letter = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'letter',
  letterId: 'lt_1',
  kind: 'security-responsibility',
  houseId: 'h_1',
  gridId: 'g1',
  status: 'valid',
  signedOn: '2026-02-01',
  validFrom: '2026-02-01',
  validUntil: '2026-12-31',
  version: 1,
  ...over,
});
const person = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'person',
  personId: 'p_1',
  gridId: 'g1',
  houseId: 'h_1',
  status: 'active',
  flow: 'inflow',
  sex: 'male',
  birthDate: '1980-01-01',
  maritalStatus: 'single',
  arrivedOn: '2026-01-20',
  lastVerifiedOn: null,
  version: 1,
  ...over,
});
const event = (action: string, over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'house-event',
  houseId: 'h_1',
  gridId: 'g1',
  action,
  registeredOn: '2026-01-10',
  version: 1,
  ...over,
});

const bucket = `housing|g1|gauge|${houseBucketOf('h_1')}`;

/** The housing gauges of one grid, every bucket merged (as the statistics read merges them). */
const gaugesOf = (c: Contributions, gridId = 'g1') => {
  const merged = new Map<string, number>();
  for (const [id, fields] of c) {
    const ref = counterItemRef(id);
    if (ref.module !== 'housing' || ref.gridId !== gridId || ref.kind !== 'gauge') continue;
    for (const [f, n] of fields) merged.set(f, (merged.get(f) ?? 0) + n);
  }
  return merged;
};

describe('contributions', () => {
  it('a house: one gauge field with its id, status and ceiling, in its bucket', () => {
    expect(plain(housingContributions(house()))).toEqual({ [bucket]: { 'house|h_1|registered|-': 1 } });
    expect(plain(housingContributions(house({ status: 'banned', maxOccupants: 4 })))).toEqual({
      [bucket]: { 'house|h_1|banned|4': 1 },
    });
  });

  it('an active person with a house: an occupant of it, in the house’s bucket of the person’s grid', () => {
    expect(plain(housingContributions(person()))).toEqual({ [bucket]: { 'occ|h_1': 1 } });
    expect(housingContributions(person({ houseId: null })).size).toBe(0);
    expect(housingContributions(person({ status: 'departed', departedOn: '2026-03-01' })).size).toBe(0);
  });

  it('a valid letter: its window (and, a security letter, the house’s), signed in its month', () => {
    expect(plain(housingContributions(letter()))).toEqual({
      [bucket]: { 'letter|2026-02-01|2026-12-31': 1, 'sec|h_1|2026-02-01|2026-12-31': 1 },
      'housing|g1|month|2026-02': { lettersSigned: 1 },
    });
    expect(plain(housingContributions(letter({ kind: 'guarantee' })))).toEqual({
      [bucket]: { 'letter|2026-02-01|2026-12-31': 1 },
      'housing|g1|month|2026-02': { lettersSigned: 1 },
    });
  });

  it('an expired or revoked letter: signed in its month, valid on no day', () => {
    for (const status of ['expired', 'revoked'])
      expect(plain(housingContributions(letter({ status })))).toEqual({
        'housing|g1|month|2026-02': { lettersSigned: 1 },
      });
  });

  it('house events: registrations (created as registered, registered, reopened), bans and closures by their day', () => {
    for (const action of ['created-as-registered', 'registered', 'reopened'])
      expect(plain(housingContributions(event(action)))).toEqual({
        'housing|g1|month|2026-01': { housesRegisteredInMonth: 1 },
      });
    expect(plain(housingContributions(event('banned', { bannedOn: '2026-02-03' })))).toEqual({
      'housing|g1|month|2026-02': { housesBannedInMonth: 1 },
    });
    expect(plain(housingContributions(event('closed', { closedOn: '2026-03-03' })))).toEqual({
      'housing|g1|month|2026-03': { housesClosedInMonth: 1 },
    });
    for (const action of [
      'updated',
      'lifted',
      'inspected',
      'created-as-discovered',
      'security-letter-lapsed',
      'toString',
    ])
      expect(housingContributions(event(action)).size).toBe(0);
  });

  it('other entities count nothing here', () => {
    for (const entity of ['landlord', 'landlord-event', 'plaque-guard', 'history', 'grid', undefined])
      expect(housingContributions({ ...house(), entity }).size).toBe(0);
  });

  it('malformed records are MalformedRecordError (poison), never a crash', () => {
    for (const bad of [
      house({ gridId: undefined }),
      house({ status: 'open' }),
      house({ maxOccupants: 0 }),
      house({ maxOccupants: '3' }),
      letter({ validUntil: '2026-02-30' }),
      letter({ status: 'pending' }),
      event('banned', { bannedOn: undefined }),
      person({ gridId: undefined }),
    ])
      expect(() => housingContributions(bad)).toThrow(MalformedRecordError);
  });

  it('every field of one house lands in one bucket, and houses spread over all buckets', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `h_${String(i).padStart(26, '0')}`);
    const buckets = new Set(ids.map(houseBucketOf));
    expect(buckets.size).toBe(houseBucketCount);
    for (const houseId of ids.slice(0, 20)) {
      const c = sum([
        housingContributions(house({ houseId })),
        housingContributions(person({ houseId })),
        housingContributions(letter({ houseId })),
      ]);
      const gaugeItems = [...c.keys()].filter((id) => counterItemRef(id).kind === 'gauge');
      expect(gaugeItems).toEqual([`housing|g1|gauge|${houseBucketOf(houseId)}`]);
    }
  });
});

describe('delta (through the app engine: a person counts for people and for housing)', () => {
  it('a person moving into a house adds one occupant there, and nothing else of housing', () => {
    const d = engine.delta(person({ houseId: null }), person());
    expect(plain(d)[bucket]).toEqual({ 'occ|h_1': 1 });
    expect(Object.keys(plain(d)).filter((id) => id.startsWith('housing|'))).toEqual([bucket]);
  });

  it('a person writing off leaves the house', () => {
    expect(
      plain(engine.delta(person(), person({ status: 'departed', departedOn: '2026-03-01' })))[bucket],
    ).toEqual({
      'occ|h_1': -1,
    });
  });

  it('a ban moves the house field; a phone-like change of a house changes nothing', () => {
    expect(plain(engine.delta(house(), house({ status: 'banned', bannedOn: '2026-03-01' })))).toEqual({
      [bucket]: { 'house|h_1|registered|-': -1, 'house|h_1|banned|-': 1 },
    });
    expect(engine.delta(house(), house({ caretaker: { name: 'x', phone: '1' }, version: 2 })).size).toBe(0);
  });

  it('revoking a letter removes its windows, its signing month stays', () => {
    expect(plain(engine.delta(letter(), letter({ status: 'revoked' })))).toEqual({
      [bucket]: { 'letter|2026-02-01|2026-12-31': -1, 'sec|h_1|2026-02-01|2026-12-31': -1 },
    });
  });
});

describe('reading the gauges on a day', () => {
  const grid = (...records: StoredRecord[]) => gaugesOf(sum(records.map(housingContributions)));

  it('statuses, let and vacant, over-occupied, without a valid security letter, letters valid', () => {
    const g = grid(
      house({ houseId: 'h_a', maxOccupants: 1 }),
      person({ houseId: 'h_a', personId: 'p1' }),
      person({ houseId: 'h_a', personId: 'p2' }),
      letter({ houseId: 'h_a' }),
      house({ houseId: 'h_b' }),
      letter({ houseId: 'h_b', kind: 'guarantee' }),
      house({ houseId: 'h_c', status: 'discovered' }),
      person({ houseId: 'h_c' }),
      house({ houseId: 'h_d', status: 'banned', maxOccupants: 2 }),
      person({ houseId: 'h_d' }),
      person({ houseId: 'h_d' }),
      person({ houseId: 'h_d' }),
      house({ houseId: 'h_e', status: 'closed' }),
    );
    expect(housingCountersOn(g, TODAY)).toEqual({
      housesRegistered: 2,
      housesDiscovered: 1,
      housesBanned: 1,
      housesClosed: 1,
      housesLet: 1,
      housesVacant: 1,
      housesOverOccupied: 2,
      housesWithoutValidSecurityLetter: 1,
      lettersValid: 2,
    });
    expect(occupantsOf(g, 'h_d')).toBe(3);
    expect(occupantsOf(g, 'h_none')).toBe(0);
  });

  it('a letter is valid from validFrom to validUntil inclusive, read on the day asked (no nightly write)', () => {
    const g = grid(house(), letter({ validFrom: '2026-03-10', validUntil: '2026-03-20' }));
    const on = (day: string) => housingCountersOn(g, day);
    expect(on('2026-03-09')).toMatchObject({ lettersValid: 0, housesWithoutValidSecurityLetter: 1 });
    expect(on('2026-03-10')).toMatchObject({ lettersValid: 1, housesWithoutValidSecurityLetter: 0 });
    expect(on('2026-03-20')).toMatchObject({ lettersValid: 1, housesWithoutValidSecurityLetter: 0 });
    expect(on('2026-03-21')).toMatchObject({ lettersValid: 0, housesWithoutValidSecurityLetter: 1 });
  });

  it('fields that came to zero (awaiting compaction) count nothing', () => {
    const g = new Map([
      ['house|h_1|registered|-', 0],
      ['house|h_1|banned|-', 1],
      ['occ|h_1', 0],
      ['letter|2026-01-01|2026-12-31', 0],
    ]);
    expect(housingCountersOn(g, TODAY)).toEqual({ ...zeroHousingCounters(), housesBanned: 1 });
  });

  it('the plug-in reads on the context’s today; rates are null on a zero denominator', () => {
    const g = grid(house(), person(), house({ houseId: 'h_x', status: 'discovered' }));
    const read = housingCounters.read(g, { today: TODAY, settings: defaultSettings });
    expect(read).toMatchObject({ housesRegistered: 1, housesDiscovered: 1, housesLet: 1 });
    expect(housingCounters.derive?.(read)).toEqual({ registrationRate: 0.5, occupancyRate: 1 });
    expect(housingCounters.derive?.(zeroHousingCounters() as unknown as Record<string, number>)).toEqual({
      registrationRate: null,
      occupancyRate: null,
    });
    // the seed's "rental rate 83 %": 382 registered of 382 + 78 discovered
    expect(
      housingCounters.derive?.({ housesRegistered: 382, housesDiscovered: 78, housesLet: 0 })
        ?.registrationRate,
    ).toBeCloseTo(0.8304, 4);
  });

  it('monthly flows report the housing month fields', () => {
    const c = sum([housingContributions(event('registered')), housingContributions(letter())]);
    const items = [...c].flatMap(([id, fields]) => {
      const ref = counterItemRef(id);
      return ref.kind === 'month' ? [{ ref, fields, revision: undefined }] : [];
    });
    const rows = monthlyFlows([housingCounters], { from: '2026-01', to: '2026-02', items });
    expect(rows).toEqual([
      {
        month: '2026-01',
        housesRegisteredInMonth: 1,
        housesBannedInMonth: 0,
        housesClosedInMonth: 0,
        lettersSigned: 0,
      },
      {
        month: '2026-02',
        housesRegisteredInMonth: 0,
        housesBannedInMonth: 0,
        housesClosedInMonth: 0,
        lettersSigned: 1,
      },
    ]);
  });
});

describe('the aggregator and the reconciler agree on housing records (property)', () => {
  const dateArb = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2025-06-01', n));
  const houseIdArb = fc.constantFrom('h_1', 'h_2', 'h_3', 'h_4');
  const gridArb = fc.constantFrom('g1', 'g2');
  const houseArb = (houseId: string) =>
    fc.record({
      entity: fc.constant('house'),
      houseId: fc.constant(houseId),
      gridId: gridArb,
      status: fc.constantFrom('discovered', 'registered', 'banned', 'closed'),
      maxOccupants: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      caretaker: fc.option(fc.constant({ name: 'c', phone: '138' }), { nil: null }),
    });
  const letterArb = (letterId: string) =>
    fc
      .record({
        entity: fc.constant('letter'),
        letterId: fc.constant(letterId),
        houseId: houseIdArb,
        gridId: gridArb,
        kind: fc.constantFrom('security-responsibility', 'guarantee'),
        status: fc.constantFrom('valid', 'valid', 'expired', 'revoked'),
        signedOn: dateArb,
        validFrom: dateArb,
        length: fc.integer({ min: 0, max: 200 }),
      })
      .map(({ length, ...l }) => ({ ...l, validUntil: addDays(l.validFrom, length) }));
  const personArb = (personId: string) =>
    fc.record({
      entity: fc.constant('person'),
      personId: fc.constant(personId),
      gridId: gridArb,
      houseId: fc.option(houseIdArb, { nil: null }),
      status: fc.constantFrom('active', 'active', 'departed', 'closed'),
      flow: fc.constant('inflow'),
      sex: fc.constant('male'),
      maritalStatus: fc.constant('single'),
      arrivedOn: dateArb,
      departedOn: fc.constant('2026-01-01'),
      closedOn: fc.constant('2026-01-01'),
      lastVerifiedOn: fc.constant(null),
    });
  const eventArb = fc.record({
    entity: fc.constant('house-event'),
    houseId: houseIdArb,
    gridId: gridArb,
    action: fc.constantFrom(
      'created-as-registered',
      'registered',
      'reopened',
      'banned',
      'closed',
      'lifted',
      'updated',
    ),
    registeredOn: dateArb,
    bannedOn: dateArb,
    closedOn: dateArb,
  });
  const historyArb: fc.Arbitrary<(StoredRecord | undefined)[]> = fc.oneof(
    houseIdArb.chain((id) => fc.array(houseArb(id), { minLength: 1, maxLength: 5 })),
    fc
      .string({ minLength: 1, maxLength: 3 })
      .chain((id) => fc.array(letterArb(`lt_${id}`), { minLength: 1, maxLength: 4 })),
    fc
      .string({ minLength: 1, maxLength: 3 })
      .chain((id) => fc.array(personArb(`p_${id}`), { minLength: 1, maxLength: 5 }))
      .chain((images) => fc.boolean().map((deleted) => (deleted ? [...images, undefined] : images))),
    eventArb.map((e) => [e]),
  );

  it('sum of contributions over the final records = the deltas of every write; every figure readable and never negative', () => {
    fc.assert(
      fc.property(
        fc.array(historyArb, { maxLength: 14 }),
        fc.integer({ min: 0, max: 500 }),
        (histories, day) => {
          const stream = histories.flatMap((h) =>
            h.map((img, i) => ({ old: i === 0 ? undefined : h[i - 1], new: img })),
          );
          const finals = histories.map((h) => h.at(-1)).filter((r): r is StoredRecord => r !== undefined);
          const reconciled = plain(sum(finals.map((r) => engine.contributions(r))));
          let running: Contributions = new Map();
          for (const w of stream) running = sum([running, engine.delta(w.old, w.new)]);
          expect(plain(running)).toEqual(reconciled);
          // what a grid reads, from the aggregated counters, equals reading the final records directly
          const today = addDays('2025-06-01', day);
          for (const gridId of ['g1', 'g2']) {
            const read = housingCountersOn(gaugesOf(running, gridId), today);
            for (const n of Object.values(read)) expect(n).toBeGreaterThanOrEqual(0);
            expect(read.housesLet + read.housesVacant).toBe(read.housesRegistered);
            expect(read.housesWithoutValidSecurityLetter).toBeLessThanOrEqual(read.housesRegistered);
          }
          for (const [id, fields] of Object.entries(reconciled))
            if (id.startsWith('housing|') && id.includes('|month|'))
              for (const n of Object.values(fields)) expect(n).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('monthOf puts a signed letter in its month', () => {
    expect(monthOf('2026-02-28')).toBe('2026-02');
  });
});
