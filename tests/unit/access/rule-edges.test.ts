import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkCharacter,
  makeIdNumber,
  maskIdNumber,
  maskPhone,
  parseIdNumber,
} from '../../../shared/modules/people/rules/id-number.js';
import {
  depart,
  LifecycleError,
  type Person,
  register,
  update,
  verify,
} from '../../../shared/modules/people/rules/person.js';
import { counterItemRef, MalformedRecordError, recordField } from '../../../shared/platform/counting.js';
import {
  addDays,
  addYears,
  ageOn,
  canonicalTimeZone,
  daysBetween,
  daysInMonth,
  isIsoDate,
  isIsoMonth,
  isValidTimeZone,
  latestBirthDateForAge,
  monthOf,
  monthsBetween,
  todayIn,
} from '../../../shared/platform/dates.js';
import { closed, departed, input, NOW, registered, TODAY } from '../people/person-fixtures.js';

/**
 * Edges of the pure rules that the rules' own tests leave open (each found by a mutant that
 * survived them): the exact anchors of the ID-number shapes, what each refusal says (the
 * lifecycle's messages reach API clients as problem+json details), and inputs of the wrong type.
 */
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
};

afterEach(() => vi.restoreAllMocks());

describe('ID numbers', () => {
  it('checkCharacter takes exactly 17 digits: not 18, not a digit more or less at either end', () => {
    for (const bad of [
      '110105194912310021',
      'X11010519491231002',
      '11010519491231002X',
      '1101051949123100',
    ]) {
      const error = thrown(() => checkCharacter(bad));
      expect(error, bad).toBeInstanceOf(RangeError);
      expect(error.message).toBe('checkCharacter needs exactly 17 digits');
    }
    expect(checkCharacter('11010519491231002')).toBe('X');
  });

  it('parseIdNumber: a bad `today` is a programming error that says so', () => {
    const error = thrown(() => parseIdNumber('11010519491231002X', '2024-02-30'));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('today must be a real calendar date as YYYY-MM-DD, got 2024-02-30');
  });

  it('parseIdNumber: anything but a string is refused, not a crash', () => {
    for (const bad of [undefined, null, 11010519491231, ['11010519491231002X']])
      expect(parseIdNumber(bad as unknown as string, '2024-06-30')).toEqual({
        ok: false,
        message: 'ID number must be a string',
      });
  });

  it('makeIdNumber: the region is exactly 6 digits, and says why it is refused', () => {
    for (const region of ['1101011', '2110101', '11010', 'x110101', '110101x']) {
      const error = thrown(() => makeIdNumber({ region, birthDate: '1990-03-07', sequence: 1 }));
      expect(error, region).toBeInstanceOf(RangeError);
      expect(error.message).toBe(`region must be 6 digits starting with a province-level code: ${region}`);
    }
  });

  it('makeIdNumber: the birth date and the sequence say why they are refused', () => {
    expect(
      thrown(() => makeIdNumber({ region: '110101', birthDate: '1899-12-31', sequence: 1 })).message,
    ).toBe('birthDate must be a real date on or after 1900-01-01: 1899-12-31');
    for (const sequence of [0, -1, 1000, 1.5, Number.NaN])
      expect(
        thrown(() => makeIdNumber({ region: '110101', birthDate: '1990-03-07', sequence })).message,
      ).toBe(`sequence must be an integer 1-999: ${sequence}`);
  });

  it('an ID number with a character more at either end is refused for its length', () => {
    const id = '11010519491231002X';
    for (const bad of [`1${id}`, `A${id}`, `${id}1`, `${id}X`])
      expect(parseIdNumber(bad, '2024-06-30'), bad).toEqual({
        ok: false,
        message: 'ID number must be 18 characters: 17 digits and a digit or X',
      });
    expect(parseIdNumber(id, '2024-06-30').ok).toBe(true);
  });

  it('a region code starting with 0 says so (not only that it is no province)', () => {
    const first17 = `010101${'19900307'}451`;
    expect(parseIdNumber(first17 + checkCharacter(first17), '2024-06-30')).toEqual({
      ok: false,
      message: 'region code (first 6 digits) must not start with 0',
    });
  });

  it('masks an ID number with surrounding spaces like the number itself', () => {
    expect(maskIdNumber('  11010519491231002X ')).toBe('110105********002X');
    expect(maskIdNumber('\t11010519491231002X')).toBe('110105********002X');
  });

  it('masks a phone of more than 15 digits like any other odd string (last 2 only)', () => {
    expect(maskPhone('1381234567890123')).toBe('**************23');
    expect(maskPhone('138123456789012')).toBe('138********9012');
  });
});

describe('the lifecycle says what is wrong', () => {
  const lifecycle = (fn: () => unknown) => {
    const error = thrown(fn);
    expect(error).toBeInstanceOf(LifecycleError);
    const { code, field } = error as LifecycleError;
    return { code, field, message: error.message };
  };

  it('dates after today or before the arrival', () => {
    expect(
      lifecycle(() =>
        register(input({ arrivedOn: '2024-07-01' }), { personId: 'p', cardNumber: 'c' }, TODAY, NOW),
      ),
    ).toEqual({
      code: 'date-in-future',
      field: 'arrivedOn',
      message: 'arrivedOn is after today (2024-06-30)',
    });
    expect(
      lifecycle(() => verify(registered(), { verifiedOn: '2024-01-01', outcome: 'present' }, TODAY, NOW)),
    ).toEqual({
      code: 'date-before-arrival',
      field: 'verifiedOn',
      message: 'verifiedOn is before arrivedOn',
    });
    expect(
      lifecycle(() =>
        register(
          input({ birthDate: '2024-02-01', arrivedOn: '2024-01-15' }),
          { personId: 'p', cardNumber: 'c' },
          TODAY,
          NOW,
        ),
      ),
    ).toEqual({
      code: 'date-before-arrival',
      field: 'arrivedOn',
      message: 'arrivedOn is before the birth date in idNumber',
    });
  });

  it('changes to a registration that is no longer active, or that change nothing', () => {
    expect(lifecycle(() => update(departed(), { address: 'x' }, NOW))).toEqual({
      code: 'not-active',
      field: undefined,
      message: 'the registration is departed; only active registrations change',
    });
    expect(lifecycle(() => depart(closed(), { departedOn: TODAY, reason: 'left' }, TODAY, NOW)).message).toBe(
      'the registration is closed; only active registrations change',
    );
    const p: Person = registered();
    expect(lifecycle(() => update(p, { address: p.address }, NOW))).toEqual({
      code: 'nothing-to-change',
      field: undefined,
      message: 'nothing would change',
    });
  });

  it('a grid or address on a verification that is not "moved"', () => {
    expect(
      lifecycle(() =>
        verify(registered(), { verifiedOn: TODAY, outcome: 'present', gridId: 'g_2' }, TODAY, NOW),
      ),
    ).toEqual({
      code: 'field-not-allowed',
      field: 'gridId',
      message: 'only a "moved" verification changes grid or address',
    });
    expect(
      lifecycle(() =>
        verify(registered(), { verifiedOn: TODAY, outcome: 'absent', address: 'x' }, TODAY, NOW),
      ).field,
    ).toBe('address');
  });
});

describe('counting: a record or counter id that cannot be read says which field', () => {
  it('recordField names the missing or invalid field', () => {
    const error = thrown(() => recordField.text({ gridId: '' }, 'gridId'));
    expect(error).toBeInstanceOf(MalformedRecordError);
    expect(error.message).toBe('record has no gridId');
    expect(thrown(() => recordField.text({}, 'flow')).message).toBe('record has no flow');
    expect(thrown(() => recordField.date({ arrivedOn: '2024-02-30' }, 'arrivedOn')).message).toBe(
      'record has an invalid arrivedOn',
    );
  });

  it('optionalText is a non-empty string or null: never undefined, empty or another type', () => {
    expect(recordField.optionalText({ phone: '138' }, 'phone')).toBe('138');
    expect(recordField.optionalText({}, 'phone')).toBeNull();
    expect(recordField.optionalText({ phone: '' }, 'phone')).toBeNull();
    expect(recordField.optionalText({ phone: 138 }, 'phone')).toBeNull();
    expect(recordField.optionalText({ phone: null }, 'phone')).toBeNull();
  });

  it('counterItemRef names the id it cannot read', () => {
    expect(thrown(() => counterItemRef('people|g_1|month|')).message).toBe(
      'bad counter item id people|g_1|month|',
    );
  });
});

describe('dates: what a bad argument says, and arguments of the wrong type', () => {
  it('names the argument and echoes the value', () => {
    expect(thrown(() => addDays('2024-13-01', 1)).message).toBe(
      'date must be a real calendar date as YYYY-MM-DD, got 2024-13-01',
    );
    expect(thrown(() => daysBetween('2024-01-01', 'soon')).message).toBe(
      'to must be a real calendar date as YYYY-MM-DD, got soon',
    );
    expect(thrown(() => daysBetween('then', '2024-01-01')).message).toBe(
      'from must be a real calendar date as YYYY-MM-DD, got then',
    );
    expect(thrown(() => ageOn('1990-02-30', '2024-01-01')).message).toBe(
      'birthDate must be a real calendar date as YYYY-MM-DD, got 1990-02-30',
    );
    expect(thrown(() => ageOn('1990-01-01', '2024-00-01')).message).toBe(
      'on must be a real calendar date as YYYY-MM-DD, got 2024-00-01',
    );
    expect(thrown(() => latestBirthDateForAge('2024-02-30', 15)).message).toBe(
      'on must be a real calendar date as YYYY-MM-DD, got 2024-02-30',
    );
    expect(thrown(() => latestBirthDateForAge('2024-01-01', 1.5)).message).toBe(
      'age must be an integer, got 1.5',
    );
    expect(thrown(() => addDays('2024-01-01', 0.5)).message).toBe('days must be an integer, got 0.5');
    expect(thrown(() => addYears('2024-01-01', Number.NaN)).message).toBe(
      'years must be an integer, got NaN',
    );
    expect(thrown(() => addDays('9999-12-31', 1)).message).toBe('year 10000 is outside 0–9999');
    expect(thrown(() => monthsBetween('2024-13', '2025-01')).message).toBe(
      'from must be a month as YYYY-MM, got 2024-13',
    );
    expect(thrown(() => monthsBetween('2024-01', '2025-1')).message).toBe(
      'to must be a month as YYYY-MM, got 2025-1',
    );
    expect(thrown(() => todayIn('Mars/Olympus_Mons')).message).toBe('unknown time zone: Mars/Olympus_Mons');
    expect(thrown(() => monthOf('2024-02-30'))).toBeInstanceOf(RangeError);
  });

  it('April, June, September and November have 30 days; the others 31 (February aside)', () => {
    for (const month of [4, 6, 9, 11]) {
      expect(daysInMonth(2023, month)).toBe(30);
      expect(isIsoDate(`2023-${String(month).padStart(2, '0')}-31`)).toBe(false);
      expect(isIsoDate(`2023-${String(month).padStart(2, '0')}-30`)).toBe(true);
    }
    for (const month of [1, 3, 5, 7, 8, 10, 12]) expect(daysInMonth(2023, month)).toBe(31);
  });

  it('years 0000–9999 only, both ends included', () => {
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(addDays('9999-01-01', 1)).toBe('9999-01-02');
    expect(addDays('0000-01-02', -1)).toBe('0000-01-01');
    expect(thrown(() => addDays('0000-01-01', -1)).message).toBe('year -1 is outside 0–9999');
    expect(thrown(() => addYears('9999-06-01', 1))).toBeInstanceOf(RangeError);
  });

  it('canonicalTimeZone: the IANA name as the runtime spells it, or undefined', () => {
    expect(canonicalTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('Asia/Chongqing')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    for (const bad of ['+08:00', '-05:00', '', 'Mars/Base', ' Asia/Shanghai'])
      expect(canonicalTimeZone(bad), bad).toBeUndefined();
    expect(canonicalTimeZone(8 as unknown as string)).toBeUndefined();
    expect(canonicalTimeZone(undefined as unknown as string)).toBeUndefined();
  });

  it('a value that only looks right as a string is refused', () => {
    const looksLikeADate = ['2024-01-01'] as unknown as string; // String(['2024-01-01']) === '2024-01-01'
    expect(isIsoDate(looksLikeADate)).toBe(false);
    expect(thrown(() => addDays(looksLikeADate, 1))).toBeInstanceOf(RangeError);
    const looksLikeAMonth = ['2024-01'] as unknown as string; // String(['2024-01']) === '2024-01'
    expect(isIsoMonth(looksLikeAMonth)).toBe(false);
    expect(thrown(() => monthsBetween(looksLikeAMonth, '2024-02'))).toBeInstanceOf(RangeError);
    expect(thrown(() => monthsBetween('2024-01', looksLikeAMonth))).toBeInstanceOf(RangeError);
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false); // Intl would take the default zone
    expect(isValidTimeZone('')).toBe(false);
    expect(thrown(() => todayIn(undefined as unknown as string))).toBeInstanceOf(RangeError);
  });

  it('builds one formatter per time zone, not one per call', () => {
    const Real = Intl.DateTimeFormat;
    const built: Intl.DateTimeFormatOptions[] = [];
    class Counted extends Real {
      constructor(locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
        super(locales, options);
        built.push(options ?? {});
      }
    }
    Intl.DateTimeFormat = Counted as typeof Intl.DateTimeFormat;
    try {
      const formatters = () => built.filter((o) => o.year === 'numeric').length;
      const today = todayIn('Asia/Kathmandu');
      expect(formatters()).toBe(1);
      expect(todayIn('Asia/Kathmandu')).toBe(today);
      todayIn('Asia/Kathmandu');
      expect(formatters()).toBe(1);
    } finally {
      Intl.DateTimeFormat = Real;
    }
  });
});
