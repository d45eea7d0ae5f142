import { describe, expect, it } from 'vitest';
import { counterPlugins } from '../../../shared/app/index.js';
import { peopleContributions, peopleCounters } from '../../../shared/modules/people/counters.js';
import { sum } from '../../../shared/modules/statistics/engine.js';
import { monthlyFlows } from '../../../shared/modules/statistics/read.js';
import type { StoredCounterItem } from '../../../shared/modules/statistics/repository/counters.js';
import { type Fields, monthItemsOf, person, verification } from './counter-fixtures.js';

describe('monthlyFlows', () => {
  /** A stored people month item of a grid. */
  const month = (m: string, fields: Fields, gridId = 'g1'): StoredCounterItem => ({
    ref: { module: 'people', gridId, kind: 'month', month: m },
    fields: new Map(Object.entries(fields)),
    revision: 1,
  });
  const flows = (from: string, to: string, items: readonly StoredCounterItem[]) =>
    monthlyFlows([peopleCounters], { from, to, items });

  it('fills every month of the inclusive range with zeros, across a year end', () => {
    expect(flows('2024-11', '2025-02', [])).toEqual(
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
    expect(flows('2024-05', '2024-05', []).map((r) => r.month)).toEqual(['2024-05']);
    expect(flows('2024-06', '2024-05', [])).toEqual([]);
  });

  it('sums items of the same month (several grids) and ignores months outside the range', () => {
    const rows = flows('2024-01', '2024-02', [
      month('2024-01', { registered: 2, verified: 1 }),
      month('2024-01', { registered: 3, departed: 1 }, 'g2'),
      month('2024-02', { closedStale: 4 }, 'g3'),
      month('2023-12', { registered: 100 }),
      month('2024-03', { departed: 100 }),
    ]);
    expect(rows).toEqual([
      { month: '2024-01', registered: 5, departed: 1, closedStale: 0, verified: 1, writeOffRate: 1 },
      { month: '2024-02', registered: 0, departed: 0, closedStale: 4, verified: 0, writeOffRate: 0 },
    ]);
  });

  it('writeOffRate = departed / (departed + closedStale), null when both are 0', () => {
    const rate = (fields: Fields) => flows('2024-01', '2024-01', [month('2024-01', fields)])[0]?.writeOffRate;
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
    const rows = flows('2024-01', '2025-01', monthItemsOf(sum(records.map((r) => peopleContributions(r)))));
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
    const rows = flows('2024-11', '2025-01', monthItemsOf(sum(records.map((r) => peopleContributions(r)))));
    expect(rows).toEqual([
      { month: '2024-11', registered: 3, departed: 0, closedStale: 0, verified: 0, writeOffRate: null },
      { month: '2024-12', registered: 0, departed: 1, closedStale: 0, verified: 1, writeOffRate: 1 },
      { month: '2025-01', registered: 0, departed: 1, closedStale: 1, verified: 2, writeOffRate: 0.5 },
    ]);
  });

  it('ignores gauge items, other modules’ items and month fields the plug-in does not declare', () => {
    const rows = flows('2024-01', '2024-01', [
      month('2024-01', { registered: 1, somethingElse: 7 }),
      {
        ref: { module: 'other', gridId: 'g1', kind: 'month', month: '2024-01' },
        fields: new Map([['registered', 50]]),
        revision: 1,
      },
      {
        ref: { module: 'people', gridId: 'g1', kind: 'gauge', bucket: '' },
        fields: new Map([['registered', 70]]),
        revision: 1,
      },
    ]);
    expect(rows).toEqual([
      { month: '2024-01', registered: 1, departed: 0, closedStale: 0, verified: 0, writeOffRate: null },
    ]);
  });

  it('the app reports the people month fields and the write-off rate', () => {
    expect(counterPlugins).toContain(peopleCounters);
    expect(
      Object.keys(
        monthlyFlows(counterPlugins, { from: '2024-01', to: '2024-01', items: [] })[0] ?? {},
      ).sort(),
    ).toEqual(
      expect.arrayContaining(['closedStale', 'departed', 'month', 'registered', 'verified', 'writeOffRate']),
    );
  });
});
