import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  creditCodeCharset,
  creditCodeCheckCharacter,
  parseCreditCode,
} from '../../../shared/modules/housing/rules/landlord.js';

/** GB 32100-2015, straight from the standard: the 31 characters and the 17 weights (3^i mod 31). */
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

function referenceCheck(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + CHARS.indexOf(ch) * (WEIGHTS[i] as number), 0);
  const c = 31 - (sum % 31);
  return CHARS[c === 31 ? 0 : c] as string;
}

const charArb = fc.constantFrom(...CHARS);
const first17Arb = fc
  .tuple(
    fc.array(charArb, { minLength: 2, maxLength: 2 }),
    fc.array(fc.constantFrom(...'0123456789'), { minLength: 6, maxLength: 6 }),
    fc.array(charArb, { minLength: 9, maxLength: 9 }),
  )
  .map(([a, b, c]) => [...a, ...b, ...c].join(''));
const validArb = first17Arb.map((f) => f + referenceCheck(f));

describe('the unified social credit code check character', () => {
  it('the weights are the standard’s 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28', () => {
    expect(WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
    expect(creditCodeCharset).toBe(CHARS);
  });

  it('accepts real codes (the standard’s example and two published company codes)', () => {
    for (const code of ['91350100M000100Y43', '9144030071526726XG', '91110000802100433B']) {
      expect(parseCreditCode(code)).toEqual({ ok: true, value: code });
    }
  });

  it('matches the formula for every 17 characters of the charset (property)', () => {
    fc.assert(
      fc.property(first17Arb, (f) => {
        expect(creditCodeCheckCharacter(f)).toBe(referenceCheck(f));
      }),
    );
  });

  it('a check value of 31 (a weighted sum that is a multiple of 31) is written 0', () => {
    // the 17th character (weight 28) that makes the sum of '91350100M000100Y?' a multiple of 31
    const head = '91350100M000100Y';
    const sumOf = (s: string) =>
      [...s].reduce((a, ch, i) => a + CHARS.indexOf(ch) * (WEIGHTS[i] as number), 0);
    const last = [...CHARS].find((ch) => sumOf(head + ch) % 31 === 0) as string;
    expect(last).toBeDefined();
    expect(creditCodeCheckCharacter(head + last)).toBe('0');
    expect(parseCreditCode(`${head}${last}0`)).toEqual({ ok: true, value: `${head}${last}0` });
  });

  it('every generated valid code passes, normalised (property)', () => {
    fc.assert(
      fc.property(validArb, (code) => {
        expect(parseCreditCode(code)).toEqual({ ok: true, value: code });
        expect(parseCreditCode(` ${code.toLowerCase()}\n`)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('every single-character corruption fails (property)', () => {
    fc.assert(
      fc.property(validArb, fc.integer({ min: 0, max: 17 }), charArb, (code, at, ch) => {
        fc.pre(code[at] !== ch);
        const corrupted = code.slice(0, at) + ch + code.slice(at + 1);
        expect(parseCreditCode(corrupted).ok).toBe(false);
      }),
    );
  });

  it('refuses wrong lengths, I/O/S/V/Z, letters in the 3rd–8th characters, and names why', () => {
    const shape = /must be 18 characters/;
    for (const bad of [
      '',
      '91350100M000100Y4',
      '91350100M000100Y433',
      '91350100M000100I43',
      '913501O0M000100Y43',
    ]) {
      const r = parseCreditCode(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(shape);
    }
    const r = parseCreditCode('91350100M000100Y44');
    expect(r).toEqual({ ok: false, message: 'the check character (the last) does not match: a typo?' });
    expect(() => creditCodeCheckCharacter('91350100M000100Y')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('91350100M000100YI')).toThrow(RangeError);
  });
});
