import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  close,
  depart,
  departureReasons,
  lastSeenOn,
  overdueBefore,
} from '../../../shared/modules/people/rules/person.js';
import { addDays, daysBetween } from '../../../shared/platform/dates.js';
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
