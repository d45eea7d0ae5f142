/**
 * The ID number checked as it is typed, with the API's own rules: the pure module
 * shared/modules/people/rules/id-number.ts is bundled into the console (no copy). A complete
 * number gets exactly `parseIdNumber`'s verdict; a partial one is checked as far as it goes
 * (characters, province code, birth date), so a mistake shows as soon as it is typed.
 */

import {
  MIN_BIRTH_DATE,
  parseIdNumber,
  provinceCodes,
} from '../../../../shared/modules/people/rules/id-number';
import { isIsoDate } from '../../../../shared/platform/dates';
import type { PeopleKey } from './messages';

export type IdCheck =
  | { state: 'empty' }
  | { state: 'partial'; length: number }
  | { state: 'invalid'; reason: PeopleKey; serverMessage?: string }
  | { state: 'valid'; idNumber: string; sex: 'female' | 'male'; birthDate: string };

/** parseIdNumber's messages → the console's translated reasons (unknown ones are shown as the API words them). */
const reasons: [RegExp, PeopleKey][] = [
  [/^ID number must be 18 characters/, 'id.shape'],
  [/must not start with 0/, 'id.region'],
  [/province-level code/, 'id.province'],
  [/not a real calendar date/, 'id.birthDate'],
  [/birth date is before/, 'id.birthTooEarly'],
  [/birth date is in the future/, 'id.birthFuture'],
  [/sequence number/, 'id.sequence'],
  [/check character/, 'id.checksum'],
];

export function reasonOf(message: string): PeopleKey | undefined {
  return reasons.find(([pattern]) => pattern.test(message))?.[1];
}

/** `today`: the township's today (YYYY-MM-DD), which bounds the birth date as on the server. */
export function checkIdNumber(input: string, today: string): IdCheck {
  const s = input.trim().toUpperCase();
  if (s === '') return { state: 'empty' };
  if (s.length >= 18) {
    const parsed = parseIdNumber(s, today);
    if (parsed.ok) return { state: 'valid', ...parsed.value };
    const reason = reasonOf(parsed.message);
    return reason
      ? { state: 'invalid', reason }
      : { state: 'invalid', reason: 'id.shape', serverMessage: parsed.message };
  }
  if (!/^\d*$/.test(s.slice(0, 17)) || (s.length === 18 && !/[\dX]$/.test(s)))
    return { state: 'invalid', reason: 'id.shape' };
  if (s.startsWith('0')) return { state: 'invalid', reason: 'id.region' };
  if (s.length >= 2 && !provinceCodes.has(s.slice(0, 2))) return { state: 'invalid', reason: 'id.province' };
  if (s.length >= 14) {
    const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
    if (!isIsoDate(birth)) return { state: 'invalid', reason: 'id.birthDate' };
    if (birth < MIN_BIRTH_DATE) return { state: 'invalid', reason: 'id.birthTooEarly' };
    if (birth > today) return { state: 'invalid', reason: 'id.birthFuture' };
  }
  if (s.length === 17 && s.slice(14, 17) === '000') return { state: 'invalid', reason: 'id.sequence' };
  return { state: 'partial', length: s.length };
}
