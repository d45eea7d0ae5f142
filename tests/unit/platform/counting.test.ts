import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Contributions,
  type CounterItemRef,
  counterItemId,
  counterItemRef,
  countersOf,
} from '../../../shared/platform/counting.js';

describe('counter item ids', () => {
  it('round-trip through counterItemId/counterItemRef', () => {
    const gauge: CounterItemRef = { module: 'people', gridId: 'g_1', kind: 'gauge', bucket: '' };
    const bucket: CounterItemRef = { module: 'people', gridId: 'g_1', kind: 'gauge', bucket: 'women-1990' };
    const month: CounterItemRef = { module: 'people', gridId: 'g_1', kind: 'month', month: '2024-03' };
    expect(counterItemId(gauge)).toBe('people|g_1|gauge|');
    expect(counterItemId(bucket)).toBe('people|g_1|gauge|women-1990');
    expect(counterItemId(month)).toBe('people|g_1|month|2024-03');
    expect(counterItemRef('people|g_1|gauge|')).toEqual(gauge);
    expect(counterItemRef('people|g_1|gauge|women-1990')).toEqual(bucket);
    expect(counterItemRef('people|g_1|month|2024-03')).toEqual(month);
  });

  it.each([
    'people|g_1|other|x',
    'people||gauge|',
    '|g_1|gauge|',
    'people|g_1|gauge',
    'people|g_1|month|',
    'people|g_1|month',
    'people|g_1|gauge||extra',
    'people|g_1|month|2024-03|extra',
    // the ids before counters were namespaced by module
    'g_1|gauges',
    'g_1|month|2024-03',
    'g_1|women|1990',
    '',
  ])('%j is not a counter item id', (id) => {
    expect(() => counterItemRef(id)).toThrow();
  });

  it('round-trip for any module, grid, bucket and month without the separator (property)', () => {
    const part = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('|'));
    const ref: fc.Arbitrary<CounterItemRef> = fc.oneof(
      fc.record({
        module: part,
        gridId: part,
        kind: fc.constant('gauge' as const),
        bucket: fc.oneof(fc.constant(''), part),
      }),
      fc.record({ module: part, gridId: part, kind: fc.constant('month' as const), month: part }),
    );
    fc.assert(
      fc.property(ref, (r) => {
        expect(counterItemRef(counterItemId(r))).toEqual(r);
      }),
    );
  });
});

describe('countersOf', () => {
  it('namespaces a module’s counters: two modules never add to the same item', () => {
    const into: Contributions = new Map();
    const a = countersOf('a');
    const b = countersOf('b');
    a.gauge(into, { gridId: 'g1' }, 'n');
    a.gauge(into, { gridId: 'g1' }, 'n', 2);
    b.gauge(into, { gridId: 'g1' }, 'n');
    a.gauge(into, { gridId: 'g1', bucket: 'x' }, 'n');
    a.month(into, { gridId: 'g1', month: '2024-01' }, 'm');
    b.month(into, { gridId: 'g1', month: '2024-01' }, 'm', 5);
    expect(Object.fromEntries([...into].map(([id, f]) => [id, Object.fromEntries(f)]))).toEqual({
      'a|g1|gauge|': { n: 3 },
      'b|g1|gauge|': { n: 1 },
      'a|g1|gauge|x': { n: 1 },
      'a|g1|month|2024-01': { m: 1 },
      'b|g1|month|2024-01': { m: 5 },
    });
  });
});
