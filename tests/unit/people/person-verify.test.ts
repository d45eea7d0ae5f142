import { describe, expect, it } from 'vitest';
import { verificationOutcomes, verify } from '../../../shared/modules/people/rules/person.js';
import { addDays } from '../../../shared/platform/dates.js';
import {
  ARRIVED,
  closed,
  departed,
  differingFields,
  LATER,
  lifecycleError,
  registered,
  TODAY,
} from './person-fixtures.js';

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
