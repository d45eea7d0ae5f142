import { describe, expect, it } from 'vitest';
import { engine } from '../../../shared/app/index.js';
import {
  peopleContributions,
  peopleCounters,
  womenBucketOf,
} from '../../../shared/modules/people/counters.js';
import { flows, maritalStatuses } from '../../../shared/modules/people/rules/person.js';
import { counterItemId, counterItemRef, MalformedRecordError } from '../../../shared/platform/counting.js';
import { gaugesOf, person, plain, verification } from './counter-fixtures.js';

describe('women are stored by span of birth years', () => {
  it('in one gauge bucket per grid and 5-year span of birth years, so no counter item grows without bound', () => {
    const c = peopleContributions(person({ birthDate: '1993-05-05' }));
    expect(Object.fromEntries(c.get('people|g1|gauge|women-1990') ?? [])).toEqual({
      'women|inflow|married|1993-05-05': 1,
    });
    expect(womenBucketOf('1993-05-05')).toBe('women-1990');
    expect(womenBucketOf('1995-01-01')).toBe('women-1995');
    expect(womenBucketOf('1999-12-31')).toBe('women-1995');
    expect(womenBucketOf('2000-02-29')).toBe('women-2000');
    expect(womenBucketOf('1900-01-01')).toBe('women-1900');
    // the main gauge item holds flows and last-seen days, never a woman
    expect(c.has('people|g1|gauge|')).toBe(true);
    expect([...(c.get('people|g1|gauge|')?.keys() ?? [])].some((f) => f.startsWith('women|'))).toBe(false);
    expect(counterItemRef('people|g1|gauge|women-1990')).toEqual({
      module: 'people',
      gridId: 'g1',
      kind: 'gauge',
      bucket: 'women-1990',
    });
    expect(counterItemId({ module: 'people', gridId: 'g1', kind: 'gauge', bucket: 'women-1990' })).toBe(
      'people|g1|gauge|women-1990',
    );
  });

  it('women of one 5-year span share a bucket; the next span is another bucket', () => {
    const ids = (birthDate: string) => [...peopleContributions(person({ birthDate })).keys()].sort();
    expect(ids('1990-01-01')).toEqual(ids('1994-12-31'));
    expect(ids('1994-12-31')).not.toEqual(ids('1995-01-01'));
    expect(ids('1995-01-01')).toContain('people|g1|gauge|women-1995');
  });

  it('a man adds to no women bucket', () => {
    const ids = [...peopleContributions(person({ sex: 'male' })).keys()];
    expect(ids.some((id) => id.includes('|gauge|women-'))).toBe(false);
  });
});

describe('contributions', () => {
  it('counts nothing for no record and for entities that are not counted', () => {
    // no record: the engine's business (a deletion's new image, a creation's old one)
    expect(engine.contributions(undefined).size).toBe(0);
    for (const entity of [
      'grid',
      'tenant',
      'api-key',
      'apiKey',
      'counter',
      'counters',
      'reconciliation',
      undefined,
    ]) {
      const record = { entity, gridId: 'g1', status: 'active', arrivedOn: '2024-01-01' };
      expect(engine.contributions(record).size).toBe(0);
      expect(peopleContributions(record).size).toBe(0);
    }
    for (const action of ['registered', 'updated', 'departed', 'closed']) {
      expect(peopleContributions(verification({ action })).size).toBe(0);
      expect(engine.contributions(verification({ action })).size).toBe(0);
    }
  });

  it('the engine routes person and history records to the people plug-in', () => {
    for (const record of [person(), person({ status: 'departed', departedOn: '2024-04-01' }), verification()])
      expect(plain(engine.contributions(record))).toEqual(plain(peopleContributions(record)));
    expect(peopleCounters.contributions).toBe(peopleContributions);
    expect(peopleCounters.entities).toEqual(['person', 'history']);
  });

  it('an active married inflow woman: registered in her arrival month, flow, women and last-seen gauges', () => {
    expect(plain(peopleContributions(person()))).toEqual({
      'people|g1|month|2024-03': { registered: 1 },
      'people|g1|gauge|': {
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
      expect(plain(peopleContributions(person({ flow, maritalStatus })))).toEqual({
        'people|g1|month|2024-03': { registered: 1 },
        'people|g1|gauge|': {
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
      expect(plain(peopleContributions(person({ sex: 'male', flow, maritalStatus })))).toEqual({
        'people|g1|month|2024-03': { registered: 1 },
        'people|g1|gauge|': { [`flow|${flow}`]: 1, 'seen|2024-03-10': 1 },
      });
    },
  );

  it('a man needs no birthDate to be counted', () => {
    expect(() => peopleContributions(person({ sex: 'male', birthDate: undefined }))).not.toThrow();
  });

  it('last seen is lastVerifiedOn when set, else arrivedOn', () => {
    const g = gaugesOf(peopleContributions(person({ lastVerifiedOn: '2024-05-20' })));
    expect(g.get('seen|2024-05-20')).toBe(1);
    expect(g.has('seen|2024-03-10')).toBe(false);
  });

  it.each([
    ['female', 'inflow'],
    ['male', 'outflow'],
  ])(
    'a departed %s %s registration: registered in arrival month, departed in departure month, no gauges',
    (sex, flow) => {
      const c = peopleContributions(person({ sex, flow, status: 'departed', departedOn: '2024-07-31' }));
      expect(plain(c)).toEqual({
        'people|g1|month|2024-03': { registered: 1 },
        'people|g1|month|2024-07': { departed: 1 },
      });
    },
  );

  it('a departure in the arrival month shares the month item', () => {
    const c = peopleContributions(person({ status: 'departed', departedOn: '2024-03-31' }));
    expect(plain(c)).toEqual({ 'people|g1|month|2024-03': { registered: 1, departed: 1 } });
  });

  it.each([
    ['female', 'outflow'],
    ['male', 'inflow'],
  ])('a closed %s %s registration: closedStale in the month it was closed, no gauges', (sex, flow) => {
    const c = peopleContributions(person({ sex, flow, status: 'closed', closedOn: '2025-01-01' }));
    expect(plain(c)).toEqual({
      'people|g1|month|2024-03': { registered: 1 },
      'people|g1|month|2025-01': { closedStale: 1 },
    });
  });

  it('a verification history record counts as verified in its grid and month', () => {
    expect(plain(peopleContributions(verification({ gridId: 'g7', verifiedOn: '2024-12-31' })))).toEqual({
      'people|g7|month|2024-12': { verified: 1 },
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
    expect(() => peopleContributions(person(over))).toThrow(MalformedRecordError);
  });

  it.each([
    ['gridId', { gridId: undefined }],
    ['verifiedOn', { verifiedOn: undefined }],
    ['non-empty verifiedOn', { verifiedOn: '' }],
  ])('a verification without %s is a MalformedRecordError', (_what, over) => {
    expect(() => peopleContributions(verification(over))).toThrow(MalformedRecordError);
  });

  // A corrupted date is poison for one record (batchItemFailures), not a crash of the batch.
  it('a person whose arrivedOn is not a date is a MalformedRecordError (poison), not a crash', () => {
    expect(() => peopleContributions(person({ arrivedOn: 'not-a-date' }))).toThrow(MalformedRecordError);
  });
});
