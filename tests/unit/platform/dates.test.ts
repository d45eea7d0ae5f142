import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  ageOn,
  childbearingBirthRange,
  daysBetween,
  isIsoDate,
  isIsoMonth,
  isValidTimeZone,
  latestBirthDateForAge,
  monthOf,
  monthsBetween,
  todayIn,
} from '../../../shared/platform/dates.js';

/** Every date from `from` to `to`, both included. */
function datesFrom(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/** Independent age rule, by comparing month/day; Feb 29 counts as Feb 28 in common years. */
function referenceAge(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  const oyLeap = (oy % 4 === 0 && oy % 100 !== 0) || oy % 400 === 0;
  const birthdayDay = bm === 2 && bd === 29 && !oyLeap ? 28 : bd;
  const hadBirthday = om > bm || (om === bm && od >= birthdayDay);
  return oy - by - (hadBirthday ? 0 : 1);
}

const dateArb = fc.integer({ min: 0, max: 3_000_000 }).map((n) => addDays('0000-03-01', n));
const modernDateArb = fc.integer({ min: 0, max: 60_000 }).map((n) => addDays('1900-01-01', n));

describe('isIsoDate', () => {
  it('accepts real dates only, strictly formatted', () => {
    for (const s of ['2024-02-29', '2000-02-29', '1900-01-01', '2023-12-31', '0000-01-01', '9999-12-31']) {
      expect(isIsoDate(s)).toBe(true);
    }
    for (const s of [
      '2023-02-29',
      '1900-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-1-01',
      '24-01-01',
      '2024/01/01',
      ' 2024-01-01',
      '2024-01-01T00:00:00Z',
      '',
    ]) {
      expect(isIsoDate(s)).toBe(false);
    }
  });

  it('agrees with Date.UTC on every date of several years', () => {
    for (let day = 0; day < 3 * 366 + 400; day++) {
      const expected = new Date(Date.UTC(1999, 0, 1 + day)).toISOString().slice(0, 10);
      expect(addDays('1999-01-01', day)).toBe(expected);
    }
  });
});

describe('addDays and daysBetween', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-03-10', 0)).toBe('2024-03-10');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
    expect(daysBetween('1970-01-01', '2000-03-01')).toBe(11_017);
  });

  it('are inverse to each other', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -100_000, max: 100_000 }), (date, days) => {
        fc.pre(date >= '0300-01-01' && date <= '9700-01-01');
        const moved = addDays(date, days);
        expect(isIsoDate(moved)).toBe(true);
        expect(daysBetween(date, moved)).toBe(days);
        expect(addDays(moved, -days)).toBe(date);
      }),
    );
  });

  it('reject invalid input', () => {
    expect(() => addDays('2023-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2023-02-28', 0.5)).toThrow(RangeError);
    expect(() => daysBetween('2023-02-28', 'tomorrow')).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });
});

describe('addYears', () => {
  it('moves Feb 29 to Feb 28 in a common year', () => {
    expect(addYears('2000-02-29', 1)).toBe('2001-02-28');
    expect(addYears('2000-02-29', 4)).toBe('2004-02-29');
    expect(addYears('2000-02-29', 100)).toBe('2100-02-28');
    expect(addYears('2000-02-29', -1)).toBe('1999-02-28');
    expect(addYears('2001-02-28', 3)).toBe('2004-02-28');
    expect(addYears('2023-03-01', 1)).toBe('2024-03-01');
    expect(addYears('2024-12-31', -24)).toBe('2000-12-31');
  });
});

describe('ageOn', () => {
  it('counts completed years, with the Feb 28 birthday for Feb 29 births', () => {
    expect(ageOn('2000-02-29', '2018-02-27')).toBe(17);
    expect(ageOn('2000-02-29', '2018-02-28')).toBe(18);
    expect(ageOn('2000-02-29', '2020-02-28')).toBe(19);
    expect(ageOn('2000-02-29', '2020-02-29')).toBe(20);
    expect(ageOn('1990-03-07', '2025-03-06')).toBe(34);
    expect(ageOn('1990-03-07', '2025-03-07')).toBe(35);
    expect(ageOn('1990-03-07', '1990-03-07')).toBe(0);
    expect(ageOn('1990-03-07', '1990-03-06')).toBe(-1);
  });

  it('agrees with an independent month/day rule', () => {
    fc.assert(
      fc.property(modernDateArb, modernDateArb, (a, b) => {
        const [birth, on] = a <= b ? [a, b] : [b, a];
        expect(ageOn(birth, on)).toBe(referenceAge(birth, on));
      }),
      { numRuns: 2000 },
    );
    for (const birth of ['2000-02-28', '2000-02-29', '2000-03-01', '2001-02-28', '2001-03-01']) {
      for (const on of datesFrom('2015-01-01', '2025-12-31')) {
        expect(ageOn(birth, on)).toBe(referenceAge(birth, on));
      }
    }
  });

  it('is consistent with addYears: ageOn(b, d) >= n iff d >= addYears(b, n)', () => {
    fc.assert(
      fc.property(modernDateArb, modernDateArb, fc.integer({ min: -5, max: 130 }), (birth, on, n) => {
        expect(ageOn(birth, on) >= n).toBe(on >= addYears(birth, n));
      }),
      { numRuns: 5000 },
    );
    for (const birth of ['2000-02-29', '2004-02-29', '2003-02-28', '2003-03-01']) {
      for (const on of datesFrom('2017-01-01', '2025-12-31')) {
        for (const n of [14, 15, 16, 17, 18, 19, 20, 21, 22]) {
          expect(ageOn(birth, on) >= n).toBe(on >= addYears(birth, n));
        }
      }
    }
  });
});

describe('months', () => {
  it('monthOf and isIsoMonth', () => {
    expect(monthOf('2024-02-29')).toBe('2024-02');
    expect(() => monthOf('2023-02-29')).toThrow(RangeError);
    expect(isIsoMonth('2024-02')).toBe(true);
    expect(isIsoMonth('2024-12')).toBe(true);
    for (const s of ['2024-13', '2024-00', '2024-2', '2024-02-01', '202402', ''])
      expect(isIsoMonth(s)).toBe(false);
  });

  it('monthsBetween is inclusive and empty when reversed', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2024-05', '2024-05')).toEqual(['2024-05']);
    expect(monthsBetween('2025-01', '2024-12')).toEqual([]);
    expect(monthsBetween('2023-01', '2024-12')).toHaveLength(24);
    expect(() => monthsBetween('2024-13', '2025-01')).toThrow(RangeError);
  });
});

describe('time zones', () => {
  it('todayIn gives the calendar date in the zone', () => {
    expect(todayIn('Asia/Shanghai', new Date('2024-02-29T15:59:59Z'))).toBe('2024-02-29');
    expect(todayIn('Asia/Shanghai', new Date('2024-02-29T16:00:00Z'))).toBe('2024-03-01');
    expect(todayIn('America/Los_Angeles', new Date('2024-03-01T07:00:00Z'))).toBe('2024-02-29');
    expect(todayIn('UTC', new Date('2024-12-31T23:59:59Z'))).toBe('2024-12-31');
    expect(todayIn('Pacific/Kiritimati', new Date('2024-12-31T10:00:00Z'))).toBe('2025-01-01');
    expect(isIsoDate(todayIn('Asia/Shanghai'))).toBe(true);
    expect(() => todayIn('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('isValidTimeZone', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('childbearingBirthRange', () => {
  /** The interval must contain exactly the births with 15 <= ageOn(b, on) <= 49. */
  function expectMatchesAgeOn(on: string, births: Iterable<string>): void {
    const { bornAfter, bornOnOrBefore } = childbearingBirthRange(on);
    for (const b of births) {
      const age = ageOn(b, on);
      const inRange = b > bornAfter && b <= bornOnOrBefore;
      if (inRange !== (age >= 15 && age <= 49)) {
        throw new Error(`on ${on}, born ${b} (age ${age}): interval (${bornAfter}, ${bornOnOrBefore}]`);
      }
    }
  }

  it('matches the known boundaries, including Feb 29 births', () => {
    expect(childbearingBirthRange('2025-06-15')).toEqual({
      bornAfter: '1975-06-15',
      bornOnOrBefore: '2010-06-15',
    });
    // Born 2004-02-29: 15 on 2019-02-28 (Feb 28 rule), not yet on 2019-02-27.
    expect(childbearingBirthRange('2019-02-28').bornOnOrBefore).toBe('2004-02-29');
    expect(childbearingBirthRange('2019-02-27').bornOnOrBefore).toBe('2004-02-27');
    // Born 1980-02-29: 50 on 2030-02-28, so no longer counted from that day.
    expect(childbearingBirthRange('2030-02-28').bornAfter).toBe('1980-02-29');
    expect(childbearingBirthRange('2030-02-27').bornAfter).toBe('1980-02-27');
    // On a Feb 29, those born on Feb 28 fifteen / fifty years earlier have had their birthday.
    expect(childbearingBirthRange('2024-02-29')).toEqual({
      bornAfter: '1974-02-28',
      bornOnOrBefore: '2009-02-28',
    });
  });

  it('agrees with ageOn for every day of 2018–2026 around both boundaries', () => {
    for (const on of datesFrom('2018-01-01', '2026-12-31')) {
      const births: string[] = [];
      for (const years of [15, 50]) {
        const birthday = addYears(on, -years);
        for (let d = -6; d <= 6; d++) births.push(addDays(birthday, d));
      }
      expectMatchesAgeOn(on, births);
      // The exact 15th and 50th birthdays: in range on the first, out of range on the second.
      expect(ageOn(addYears(on, -15), on)).toBe(15);
      const { bornAfter, bornOnOrBefore } = childbearingBirthRange(on);
      expect(addYears(on, -15) <= bornOnOrBefore).toBe(true);
      expect(addYears(on, -50) <= bornAfter).toBe(true);
    }
  });

  it('agrees with ageOn for every birth date on days around Feb 29', () => {
    const allBirths = datesFrom('1965-01-01', '2015-12-31');
    for (const on of [
      '2023-02-28',
      '2023-03-01',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2025-02-28',
      '2025-03-01',
      '2025-06-15',
    ]) {
      expectMatchesAgeOn(on, allBirths);
    }
  });

  it('agrees with ageOn for every day of the 15th and 50th year of Feb 29 births', () => {
    for (const birth of [
      '1972-02-29',
      '1976-02-29',
      '2004-02-29',
      '2008-02-29',
      '2004-02-28',
      '2004-03-01',
    ]) {
      for (const on of [
        ...datesFrom(addDays(addYears(birth, 15), -400), addDays(addYears(birth, 15), 400)),
        ...datesFrom(addDays(addYears(birth, 50), -400), addDays(addYears(birth, 50), 400)),
      ]) {
        expectMatchesAgeOn(on, [birth]);
      }
    }
  });

  it('latestBirthDateForAge is the exact bound for any age', () => {
    fc.assert(
      fc.property(
        modernDateArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: -3, max: 3 }),
        (on, age, d) => {
          fc.pre(on >= '2000-01-01');
          const latest = latestBirthDateForAge(on, age);
          const birth = addDays(latest, d);
          expect(ageOn(birth, on) >= age).toBe(d <= 0);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
