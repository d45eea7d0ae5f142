/**
 * Chinese resident ID numbers (GB 11643-1999) and masking of personal identifiers.
 *
 * Layout of the 18 characters: 6-digit region code (its first 2 digits a province-level code),
 * birth date YYYYMMDD, 3-digit sequence (odd = male, even = female) and a check character by
 * ISO 7064 MOD 11-2 (`X` stands for 10).
 */
import { isIsoDate } from '../../../platform/dates.js';

export type Sex = 'female' | 'male';

export interface IdNumberInfo {
  /** Normalized: 18 characters, check character `X` upper-case. */
  idNumber: string;
  sex: Sex;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** First 6 digits. */
  regionCode: string;
}

export type ParseIdNumberResult = { ok: true; value: IdNumberInfo } | { ok: false; message: string };

/** Earliest birth date accepted. */
export const MIN_BIRTH_DATE = '1900-01-01';

/**
 * The province-level codes a region code starts with (GB/T 2260): 11–15 North, 21–23
 * North-East, 31–37 East, 41–46 Central-South, 50–54 South-West, 61–65 North-West, 71 Taiwan,
 * 81 Hong Kong, 82 Macao. Only the province is checked, not the full six digits: ID numbers
 * keep the region code of where they were first issued, including codes abolished since, and no
 * maintained list of all six-digit codes past and present exists to check against.
 */
export const provinceCodes: ReadonlySet<string> = new Set(
  [
    [11, 15],
    [21, 23],
    [31, 37],
    [41, 46],
    [50, 54],
    [61, 65],
    [71, 71],
    [81, 82],
  ].flatMap(([from = 0, to = 0]) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i))),
);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** The ISO 7064 MOD 11-2 check character (`0`–`9` or `X`) of the first 17 digits. */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  // (12 − sum mod 11) mod 11, written with X for 10: index sum mod 11 into "10X98765432".
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Parses and validates an ID number. Surrounding whitespace is ignored, inner whitespace is
 * not; a lower-case `x` is accepted and returned upper-case. `today` (`YYYY-MM-DD`, the
 * tenant's today) bounds the birth date, which must also be on or after 1900-01-01.
 * Messages never echo any part of the input, so they are safe to log.
 */
export function parseIdNumber(input: string, today: string): ParseIdNumberResult {
  if (!isIsoDate(today))
    throw new RangeError(`today must be a real calendar date as YYYY-MM-DD, got ${today}`);
  const fail = (message: string): ParseIdNumberResult => ({ ok: false, message });
  if (typeof input !== 'string') return fail('ID number must be a string');
  const idNumber = input.trim().toUpperCase();
  if (!SHAPE.test(idNumber)) return fail('ID number must be 18 characters: 17 digits and a digit or X');

  const regionCode = idNumber.slice(0, 6);
  if (regionCode.startsWith('0')) return fail('region code (first 6 digits) must not start with 0');
  if (!provinceCodes.has(regionCode.slice(0, 2))) {
    return fail(
      'region code (first 6 digits) must start with a province-level code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81 or 82)',
    );
  }

  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isIsoDate(birthDate)) return fail('birth date is not a real calendar date');
  if (birthDate < MIN_BIRTH_DATE) return fail(`birth date is before ${MIN_BIRTH_DATE}`);
  if (birthDate > today) return fail('birth date is in the future');

  const sequence = Number(idNumber.slice(14, 17));
  if (sequence === 0) return fail('sequence number (digits 15-17) must not be 000');

  const expected = checkCharacter(idNumber.slice(0, 17));
  if (idNumber[17] !== expected) return fail('check character does not match');

  return {
    ok: true,
    value: { idNumber, sex: sequence % 2 === 1 ? 'male' : 'female', birthDate, regionCode },
  };
}

/**
 * Builds a valid ID number (for tests, seeds and benchmarks). `region`: 6 digits starting
 * with a province-level code (`provinceCodes`); `birthDate`: `YYYY-MM-DD` on or after
 * 1900-01-01; `sequence`: 1–999.
 */
export function makeIdNumber(parts: { region: string; birthDate: string; sequence: number }): string {
  const { region, birthDate, sequence } = parts;
  if (!/^[1-9]\d{5}$/.test(region) || !provinceCodes.has(region.slice(0, 2)))
    throw new RangeError(`region must be 6 digits starting with a province-level code: ${region}`);
  if (!isIsoDate(birthDate) || birthDate < MIN_BIRTH_DATE) {
    throw new RangeError(`birthDate must be a real date on or after ${MIN_BIRTH_DATE}: ${birthDate}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new RangeError(`sequence must be an integer 1-999: ${sequence}`);
  }
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** Stars for all but the last 2 characters (everything, if 2 or fewer). */
function maskAllButLastTwo(s: string): string {
  if (s.length <= 2) return '*'.repeat(s.length);
  return '*'.repeat(s.length - 2) + s.slice(-2);
}

/**
 * Masks an ID number as first 6 + 8 stars + last 4 (`110101********123X`). Anything that is
 * not 18 characters keeps only its last 2 characters.
 */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length !== 18) return maskAllButLastTwo(s);
  return `${s.slice(0, 6)}********${s.slice(-4)}`;
}

/**
 * Masks a phone number: an all-digit number of 11–15 digits keeps its first 3 and last 4
 * digits (`13812345678` → `138****5678`); any other string (short, or with `+`, spaces or
 * dashes) keeps only its last 2 characters.
 */
export function maskPhone(phone: string): string {
  const s = phone.trim();
  if (!/^\d{11,15}$/.test(s)) return maskAllButLastTwo(s);
  return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
}
