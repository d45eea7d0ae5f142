import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  makeIdNumber,
  maskIdNumber,
  maskPhone,
  parseIdNumber,
  provinceCodes,
} from '../../../shared/modules/people/rules/id-number.js';
import { addDays, isIsoDate } from '../../../shared/platform/dates.js';

const TODAY = '2025-06-15';
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Reference check character, straight from the formula: (12 − Σ mod 11) mod 11, 10 = X. */
function referenceCheck(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + Number(ch) * WEIGHTS[i]!, 0);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

function messageOf(input: string, today = TODAY): string {
  const result = parseIdNumber(input, today);
  if (result.ok) throw new Error(`expected ${input} to be rejected`);
  return result.message;
}

const regionArb = fc
  .tuple(fc.constantFrom(...provinceCodes), fc.integer({ min: 0, max: 9999 }))
  .map(([province, rest]) => `${province}${String(rest).padStart(4, '0')}`);
const birthDateArb = fc.integer({ min: 0, max: 45_000 }).map((n) => addDays('1900-01-01', n));
const partsArb = fc.record({
  region: regionArb,
  birthDate: birthDateArb,
  sequence: fc.integer({ min: 1, max: 999 }),
});
const LATE_TODAY = addDays('1900-01-01', 45_000);

describe('checkCharacter', () => {
  it('matches the ISO 7064 MOD 11-2 formula', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('11010119900307451')).toBe('4');
    expect(checkCharacter('44030820000229001')).toBe('X');
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(checkCharacter(first17)).toBe(referenceCheck(first17));
      }),
    );
  });

  it('rejects anything but 17 digits', () => {
    expect(() => checkCharacter('1101051949123100')).toThrow(RangeError);
    expect(() => checkCharacter('1101051949123100A')).toThrow(RangeError);
  });
});

describe('parseIdNumber', () => {
  it('accepts known valid numbers', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', sex: 'female', birthDate: '1949-12-31', regionCode: '110105' },
    });
    expect(parseIdNumber('110101199003074514', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '110101199003074514', sex: 'male', birthDate: '1990-03-07', regionCode: '110101' },
    });
  });

  it('normalizes a lower-case x and surrounding whitespace', () => {
    const result = parseIdNumber('  11010519491231002x\n', TODAY);
    expect(result.ok && result.value.idNumber).toBe('11010519491231002X');
  });

  it('rejects inner whitespace, wrong lengths and characters', () => {
    const shape = 'must be 18 characters: 17 digits and a digit or X';
    for (const input of [
      '',
      '110105 19491231002X',
      '11010519491231002',
      '11010519491231002XX',
      '1101051949123100X2',
      '11010519491231002Y',
      '11010519491231OO2X',
      '１１０１０５１９４９１２３１００２X',
    ]) {
      expect(messageOf(input)).toContain(shape);
    }
  });

  it('rejects a wrong check character', () => {
    expect(messageOf('110105194912310021')).toContain('check character does not match');
    expect(messageOf('110101199003074515')).toContain('check character does not match');
  });

  it('rejects a region code starting with 0', () => {
    const first17 = '01010519491231002';
    expect(messageOf(first17 + referenceCheck(first17))).toContain('region code');
  });

  it('rejects impossible birth dates and accepts Feb 29 of a leap year', () => {
    const withCheck = (first17: string) => first17 + referenceCheck(first17);
    expect(messageOf(withCheck('11010120230230001'))).toContain('not a real calendar date');
    expect(messageOf(withCheck('11010120230229001'))).toContain('not a real calendar date');
    expect(messageOf(withCheck('11010119001301001'))).toContain('not a real calendar date');
    expect(messageOf(withCheck('11010119000100001'))).toContain('not a real calendar date');
    expect(messageOf(withCheck('11010119000229001'))).toContain('not a real calendar date');
    expect(messageOf(withCheck('11010118991231001'))).toContain('before 1900-01-01');
    const leap = parseIdNumber(withCheck('11010120240229002'), TODAY);
    expect(leap).toMatchObject({ ok: true, value: { birthDate: '2024-02-29', sex: 'female' } });
    expect(parseIdNumber(withCheck('11010120000229001'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('11010119000101001'), TODAY).ok).toBe(true);
  });

  it('rejects a birth date after today and accepts one on today', () => {
    const id = makeIdNumber({ region: '110101', birthDate: '2025-06-16', sequence: 1 });
    expect(messageOf(id)).toBe('birth date is in the future');
    expect(parseIdNumber(id, '2025-06-16').ok).toBe(true);
  });

  it('rejects the sequence 000', () => {
    const first17 = '11010119900307000';
    expect(messageOf(first17 + referenceCheck(first17))).toContain('must not be 000');
  });

  it('throws on an invalid today', () => {
    expect(() => parseIdNumber('11010519491231002X', '2025-02-30')).toThrow(RangeError);
  });

  it('parses every number makeIdNumber builds, with its sex and birth date', () => {
    fc.assert(
      fc.property(partsArb, fc.boolean(), (parts, lowerCase) => {
        const id = makeIdNumber(parts);
        expect(id).toMatch(/^\d{17}[\dX]$/);
        const result = parseIdNumber(lowerCase ? id.toLowerCase() : id, LATE_TODAY);
        expect(result).toEqual({
          ok: true,
          value: {
            idNumber: id,
            sex: parts.sequence % 2 === 1 ? 'male' : 'female',
            birthDate: parts.birthDate,
            regionCode: parts.region,
          },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('rejects every single-character corruption', () => {
    const corruption = partsArb.chain((parts) => {
      const id = makeIdNumber(parts);
      return fc.integer({ min: 0, max: 17 }).chain((position) => {
        const allowed = (position === 17 ? '0123456789X' : '0123456789').replace(id[position]!, '');
        return fc.constantFrom(...allowed).map((ch) => ({ id, position, ch }));
      });
    });
    fc.assert(
      fc.property(corruption, ({ id, position, ch }) => {
        const corrupted = id.slice(0, position) + ch + id.slice(position + 1);
        expect(corrupted).not.toBe(id);
        expect(parseIdNumber(corrupted, LATE_TODAY).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('makeIdNumber', () => {
  it('builds the known numbers', () => {
    expect(makeIdNumber({ region: '110105', birthDate: '1949-12-31', sequence: 2 })).toBe(
      '11010519491231002X',
    );
    expect(makeIdNumber({ region: '110101', birthDate: '1990-03-07', sequence: 451 })).toBe(
      '110101199003074514',
    );
  });

  it('rejects parts that cannot make a valid number', () => {
    expect(() => makeIdNumber({ region: '010101', birthDate: '1990-03-07', sequence: 1 })).toThrow(
      RangeError,
    );
    expect(() => makeIdNumber({ region: '11010', birthDate: '1990-03-07', sequence: 1 })).toThrow(RangeError);
    expect(() => makeIdNumber({ region: '110101', birthDate: '2023-02-29', sequence: 1 })).toThrow(
      RangeError,
    );
    expect(() => makeIdNumber({ region: '110101', birthDate: '1899-12-31', sequence: 1 })).toThrow(
      RangeError,
    );
    expect(() => makeIdNumber({ region: '110101', birthDate: '1990-03-07', sequence: 0 })).toThrow(
      RangeError,
    );
    expect(() => makeIdNumber({ region: '110101', birthDate: '1990-03-07', sequence: 1000 })).toThrow(
      RangeError,
    );
    expect(() => makeIdNumber({ region: '110101', birthDate: '1990-03-07', sequence: 1.5 })).toThrow(
      RangeError,
    );
  });

  it('only produces real birth dates', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const id = makeIdNumber(parts);
        expect(isIsoDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)).toBe(true);
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('110101199003074514')).toBe('110101********4514');
  });

  it('hides the birth date of every valid number', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const masked = maskIdNumber(makeIdNumber(parts));
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked).not.toContain(parts.birthDate.replaceAll('-', ''));
      }),
    );
  });

  it('keeps only the last 2 characters of anything else', () => {
    expect(maskIdNumber('12345')).toBe('***45');
    expect(maskIdNumber('ab')).toBe('**');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(' 13812345678 ')).toBe('138****5678');
    expect(maskPhone('051287654321')).toBe('051*****4321');
  });

  it('keeps only the last 2 characters of short or odd strings', () => {
    expect(maskPhone('1234567')).toBe('*****67');
    expect(maskPhone('+8613812345678')).toBe('************78');
    expect(maskPhone('0512-8765432')).toBe('**********32');
    expect(maskPhone('12')).toBe('**');
    expect(maskPhone('7')).toBe('*');
    expect(maskPhone('')).toBe('');
  });

  it('never reveals more than 7 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toHaveLength(phone.trim().length);
        expect([...masked].filter((ch) => ch !== '*').length).toBeLessThanOrEqual(7);
      }),
    );
  });
});
