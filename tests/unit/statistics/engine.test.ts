import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engine } from '../../../shared/app/index.js';
import { flows, maritalStatuses, statuses } from '../../../shared/modules/people/rules/person.js';
import { countingEngine, prune, sum } from '../../../shared/modules/statistics/engine.js';
import {
  type Contributions,
  type CounterPlugin,
  counterItemId,
  type StoredRecord,
} from '../../../shared/platform/counting.js';
import { addDays, monthOf } from '../../../shared/platform/dates.js';
import { person, plain, verification } from '../people/counter-fixtures.js';

/** A counter plug-in that counts one thing per record of its entities, in one gauge item per grid. */
const plugin = (module: string, entities: string[]): CounterPlugin => ({
  module,
  entities,
  streamFilters: entities.map((e) => ({ entity: [e] })),
  contributions: (r) =>
    new Map([
      [
        counterItemId({ module, gridId: String(r.gridId), kind: 'gauge', bucket: '' }),
        new Map([[String(r.kind), 1]]),
      ],
    ]),
  fields: [],
  read: () => ({}),
  monthFields: [],
});

const asObject = (c: Contributions) =>
  Object.fromEntries([...c].map(([id, fields]) => [id, Object.fromEntries(fields)]));

describe('countingEngine', () => {
  it('gives each record to the plug-in that counts its entity, and counts nothing else', () => {
    const e = countingEngine([plugin('parcels', ['parcel']), plugin('dogs', ['dog', 'dog-license'])]);
    expect(asObject(e.contributions({ entity: 'parcel', gridId: 'g1', kind: 'big' }))).toEqual({
      'parcels|g1|gauge|': { big: 1 },
    });
    expect(asObject(e.contributions({ entity: 'dog-license', gridId: 'g2', kind: 'annual' }))).toEqual({
      'dogs|g2|gauge|': { annual: 1 },
    });
    expect(e.contributions({ entity: 'cat', gridId: 'g1', kind: 'x' }).size).toBe(0);
    expect(e.contributions({ gridId: 'g1', kind: 'x' }).size).toBe(0);
    expect(e.contributions({ entity: 7, gridId: 'g1', kind: 'x' }).size).toBe(0);
    expect(e.contributions(undefined).size).toBe(0);
  });

  it('gives a record counted by two plug-ins to both, each in its own namespace', () => {
    const e = countingEngine([plugin('a', ['x', 'y']), plugin('b', ['y'])]);
    expect(asObject(e.contributions({ entity: 'y', gridId: 'g1', kind: 'k' }))).toEqual({
      'a|g1|gauge|': { k: 1 },
      'b|g1|gauge|': { k: 1 },
    });
    expect(asObject(e.contributions({ entity: 'x', gridId: 'g1', kind: 'k' }))).toEqual({
      'a|g1|gauge|': { k: 1 },
    });
    const old = { entity: 'y', gridId: 'g1', kind: 'k' };
    expect(asObject(e.delta(old, { ...old, gridId: 'g2' }))).toEqual({
      'a|g1|gauge|': { k: -1 },
      'b|g1|gauge|': { k: -1 },
      'a|g2|gauge|': { k: 1 },
      'b|g2|gauge|': { k: 1 },
    });
  });

  it('delta is new − old across plug-ins, without zero entries', () => {
    const e = countingEngine([plugin('parcels', ['parcel']), plugin('dogs', ['dog'])]);
    const parcel = { entity: 'parcel', gridId: 'g1', kind: 'big' };
    expect(e.delta(parcel, parcel).size).toBe(0);
    expect(asObject(e.delta(parcel, { entity: 'dog', gridId: 'g1', kind: 'big' }))).toEqual({
      'parcels|g1|gauge|': { big: -1 },
      'dogs|g1|gauge|': { big: 1 },
    });
  });

  it('prune drops zero fields and items left empty, in place', () => {
    const c: Contributions = new Map([
      [
        'a',
        new Map([
          ['x', 0],
          ['y', 2],
        ]),
      ],
      ['b', new Map([['z', 0]])],
      ['c', new Map()],
    ]);
    expect(prune(c)).toBe(c);
    expect(asObject(c)).toEqual({ a: { y: 2 } });
  });

  it('the app engine counts with every module’s plug-in', () => {
    expect(engine.plugins.map((p) => p.module)).toContain('people');
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
    expect(plain(sum([engine.delta(a, b), engine.delta(b, c), engine.delta(c, d)]))).toEqual(
      plain(engine.delta(a, d)),
    );
    expect(plain(sum([engine.delta(undefined, a), engine.delta(a, undefined)]))).toEqual({});
  });

  it('adds the same field of the same item', () => {
    const p = person();
    expect(
      plain(sum([engine.contributions(p), engine.contributions(p), engine.contributions(verification())])),
    ).toEqual({
      'people|g1|month|2024-03': { registered: 2 },
      'people|g1|month|2024-04': { verified: 1 },
      'people|g1|gauge|': {
        'flow|inflow': 2,
        'women|inflow|married|1990-05-05': 2,
        'seen|2024-03-10': 2,
      },
    });
  });

  it('does not modify its inputs', () => {
    const a = engine.contributions(person());
    const before = plain(a);
    sum([a, engine.delta(person(), undefined)]);
    expect(plain(a)).toEqual(before);
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

          const reconciled = plain(sum(finals.map((r) => engine.contributions(r))));
          // the aggregator, one write at a time
          let running: Contributions = new Map();
          for (const w of stream) running = sum([running, engine.delta(w.old, w.new)]);
          expect(plain(running)).toEqual(reconciled);
          // the aggregator, the whole stream collapsed as one batch
          expect(plain(sum(stream.map((w) => engine.delta(w.old, w.new))))).toEqual(reconciled);
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
        const id = counterItemId({
          module: 'people',
          gridId: r.gridId as string,
          kind: 'month',
          month: monthOf(r.arrivedOn as string),
        });
        expect(engine.contributions(r).get(id)?.get('registered')).toBe(1);
      }),
    );
  });
});
