import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  makeIdNumber,
  parseIdNumber,
  provinceCodes,
} from '../../../shared/modules/people/rules/id-number.js';
import { idNumberAt, idNumberFor } from '../../support/people.js';

const TODAY = '2025-06-15';
const withCheck = (first17: string) => first17 + checkCharacter(first17);

/** The province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao). */
const PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82,
].map(String);

describe('the province of an ID number’s region code', () => {
  it('is one of the 34 province-level codes', () => {
    expect([...provinceCodes].sort()).toEqual(PROVINCES);
  });

  it.each(PROVINCES)('accepts %s', (province) => {
    expect(parseIdNumber(withCheck(`${province}010119900307451`), TODAY).ok).toBe(true);
  });

  it('refuses every other first two digits with a clear message', () => {
    const messages = new Set<string>();
    for (let n = 10; n <= 99; n++) {
      const province = String(n);
      if (PROVINCES.includes(province)) continue;
      const result = parseIdNumber(withCheck(`${province}010119900307451`), TODAY);
      expect(result).toEqual({ ok: false, message: expect.stringContaining('province-level code') });
      if (!result.ok) messages.add(result.message);
    }
    // One message for all: it never echoes the digits sent.
    expect(messages.size).toBe(1);
  });

  it('makeIdNumber refuses a region no number can carry', () => {
    expect(() => makeIdNumber({ region: '990101', birthDate: '1990-03-07', sequence: 1 })).toThrow(
      RangeError,
    );
    expect(() => makeIdNumber({ region: '200101', birthDate: '1990-03-07', sequence: 1 })).toThrow(
      RangeError,
    );
  });

  it('every number built from a real province parses', () => {
    const region = fc
      .tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 0, max: 9999 }))
      .map(([p, rest]) => `${p}${String(rest).padStart(4, '0')}`);
    fc.assert(
      fc.property(region, fc.integer({ min: 1, max: 999 }), (r, sequence) => {
        const id = makeIdNumber({ region: r, birthDate: '1990-03-07', sequence });
        expect(parseIdNumber(id, TODAY)).toMatchObject({ ok: true, value: { regionCode: r } });
      }),
    );
  });

  it('the test fixtures still produce valid numbers', () => {
    for (let i = 0; i < 5000; i += 7) {
      expect(parseIdNumber(idNumberAt(i), TODAY).ok).toBe(true);
    }
    for (let i = 0; i < 3000; i++) {
      expect(parseIdNumber(idNumberFor(i % 2 ? 'male' : 'female', '1990-05-17'), TODAY).ok).toBe(true);
    }
  });
});
