import { describe, expect, it } from 'vitest';
import {
  builtInLetterKinds,
  clearsLapse,
  defaultWarningDays,
  expire,
  extraKindsOf,
  flagBefore,
  flagExpiring,
  isDueForFlag,
  isDueToExpire,
  isValidOn,
  type Letter,
  LetterRuleError,
  leavesHouseWithoutSecurityLetter,
  revoke,
  type SigningInput,
  sign,
  warningDaysOf,
} from '../../../../shared/modules/housing/letters/rules/letter.js';
import { letterBody } from '../../../../shared/modules/housing/letters/schemas.js';

const today = '2026-06-15';
const now = '2026-06-15T02:00:00.000Z';
const later = '2026-06-16T02:00:00.000Z';
const input = (over: Partial<SigningInput> = {}): SigningInput => ({
  kind: 'security-responsibility',
  party: { kind: 'landlord', landlordId: 'l_01J0000000000000000000000A' },
  houseId: 'h_01J0000000000000000000000A',
  signedOn: '2026-06-01',
  validFrom: '2026-06-01',
  validUntil: '2027-05-31',
  ...over,
});
const ids = { letterId: 'lt_01J0000000000000000000000A', gridId: 'g_1', signedBy: 'Door chief Zhao' };
const letter = (over: Partial<SigningInput> = {}, extra: Partial<Letter> = {}): Letter => ({
  ...sign(input(over), ids, today, now).letter,
  ...extra,
});

function ruleError(run: () => unknown): LetterRuleError {
  try {
    run();
  } catch (error) {
    if (error instanceof LetterRuleError) return error;
    throw error;
  }
  throw new Error('no LetterRuleError');
}

describe('signing a letter', () => {
  it('makes a valid, unflagged letter at version 1, signed by the key, in the house’s grid', () => {
    const tr = sign(input(), ids, today, now);
    expect(tr.action).toBe('signed');
    expect(tr.letter).toMatchObject({
      status: 'valid',
      version: 1,
      gridId: 'g_1',
      signedBy: 'Door chief Zhao',
      expiringFlaggedOn: null,
      revokedOn: null,
      revocationReason: null,
      createdAt: now,
      updatedAt: now,
    });
  });

  it('accepts every built-in kind, and an extra kind only when the township lists it', () => {
    for (const kind of builtInLetterKinds) expect(() => sign(input({ kind }), ids, today, now)).not.toThrow();
    const e = ruleError(() => sign(input({ kind: 'rent-pledge' }), ids, today, now));
    expect(e).toMatchObject({ code: 'unknown-kind', field: 'kind' });
    expect(e.message).toContain('security-responsibility');
    expect(() => sign(input({ kind: 'rent-pledge' }), ids, today, now, ['rent-pledge'])).not.toThrow();
  });

  it('signedOn may be today but not after it', () => {
    expect(() => sign(input({ signedOn: today }), ids, today, now)).not.toThrow();
    expect(ruleError(() => sign(input({ signedOn: '2026-06-16' }), ids, today, now))).toMatchObject({
      code: 'date-in-future',
      field: 'signedOn',
    });
  });

  it('validFrom ≤ validUntil (one day is fine), named on validUntil', () => {
    expect(() =>
      sign(input({ validFrom: '2026-07-01', validUntil: '2026-07-01' }), ids, today, now),
    ).not.toThrow();
    expect(
      ruleError(() => sign(input({ validFrom: '2026-07-02', validUntil: '2026-07-01' }), ids, today, now)),
    ).toMatchObject({ code: 'dates-out-of-order', field: 'validUntil' });
  });

  it('the body schema is strict, checks the party’s shape and the date order, naming fields', () => {
    const body = { ...input(), party: { kind: 'landlord', landlordId: 'l_01J0000000000000000000000A' } };
    expect(letterBody.safeParse(body).success).toBe(true);
    const paths = (v: unknown) => letterBody.safeParse(v).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths({ ...body, extra: 1 })).toEqual(['']);
    expect(paths({ ...body, validFrom: '2027-06-01' })).toEqual(['validUntil']);
    expect(paths({ ...body, signedOn: '2026-02-30' })).toEqual(['signedOn']);
    expect(paths({ ...body, kind: 'Security Letter' })).toEqual(['kind']);
    expect(
      paths({ ...body, party: { kind: 'person', landlordId: 'l_01J0000000000000000000000A' } }),
    ).toContain('party.personId');
    expect(paths({ ...body, party: { kind: 'employer', employerId: 'x' } })).toEqual(['party.kind']);
    expect(paths({ ...body, houseId: 'nope' })).toEqual(['houseId']);
  });
});

describe('status transitions', () => {
  it('valid → revoked (reason and day kept), version + 1; then nothing changes it', () => {
    const tr = revoke(letter(), { reason: 'signed by the wrong landlord' }, today, later);
    expect(tr).toMatchObject({
      action: 'revoked',
      changedFields: ['status', 'revokedOn', 'revocationReason'],
      letter: {
        status: 'revoked',
        revokedOn: today,
        revocationReason: 'signed by the wrong landlord',
        version: 2,
        updatedAt: later,
      },
    });
    expect(ruleError(() => revoke(tr.letter, { reason: 'again' }, today, later)).code).toBe('not-valid');
    expect(ruleError(() => expire({ ...tr.letter, validUntil: '2026-01-01' }, today, later)).code).toBe(
      'not-valid',
    );
    expect(ruleError(() => flagExpiring(tr.letter, today, 30, later)).code).toBe('not-valid');
  });

  it('valid → expired only once validUntil has passed (the last valid day is validUntil itself)', () => {
    expect(ruleError(() => expire(letter({ validUntil: today }), today, later)).code).toBe('not-due');
    const tr = expire(letter({ validFrom: '2026-01-01', validUntil: '2026-06-14' }), today, later);
    expect(tr).toMatchObject({
      action: 'expired',
      changedFields: ['status'],
      letter: { status: 'expired', version: 2 },
    });
    expect(ruleError(() => revoke(tr.letter, { reason: 'x' }, today, later)).code).toBe('not-valid');
  });

  it('flagging sets expiringFlaggedOn once', () => {
    const l = letter({ validUntil: '2026-07-01' });
    const tr = flagExpiring(l, today, 30, later);
    expect(tr).toMatchObject({ action: 'flagged-expiring', changedFields: ['expiringFlaggedOn'] });
    expect(tr.letter).toMatchObject({ expiringFlaggedOn: today, status: 'valid', version: 2 });
    expect(ruleError(() => flagExpiring(tr.letter, today, 30, later)).code).toBe('not-due');
  });
});

describe('which letters the job takes (pure)', () => {
  it('flags validUntil < today + warningDays + 1, i.e. up to and including today + warningDays', () => {
    expect(flagBefore(today, 30)).toBe('2026-07-16');
    expect(isDueForFlag(letter({ validUntil: '2026-07-15' }), today, 30)).toBe(true);
    expect(isDueForFlag(letter({ validUntil: '2026-07-16' }), today, 30)).toBe(false);
    expect(isDueForFlag(letter({ validUntil: today }), today, 0)).toBe(true);
    expect(isDueForFlag(letter({ validUntil: '2026-06-16' }), today, 0)).toBe(false);
    // already past: flagged (and then expired by phase 2)
    expect(isDueForFlag(letter({ validFrom: '2026-01-01', validUntil: '2026-01-31' }), today, 30)).toBe(true);
    // not twice, not when no longer valid
    expect(
      isDueForFlag(letter({ validUntil: '2026-07-01' }, { expiringFlaggedOn: '2026-06-10' }), today, 30),
    ).toBe(false);
    expect(isDueForFlag(letter({ validUntil: '2026-07-01' }, { status: 'revoked' }), today, 30)).toBe(false);
  });

  it('the window moves across month and year ends (dates are calendar days)', () => {
    expect(flagBefore('2026-12-20', 30)).toBe('2027-01-20');
    expect(flagBefore('2028-02-28', 0)).toBe('2028-02-29');
    expect(isDueForFlag(letter({ validUntil: '2028-02-29' }), '2028-01-30', 30)).toBe(true);
    expect(isDueForFlag(letter({ validUntil: '2028-03-01' }), '2028-01-30', 30)).toBe(false);
  });

  it('expires validUntil < today only', () => {
    expect(isDueToExpire(letter({ validFrom: '2026-01-01', validUntil: '2026-06-14' }), today)).toBe(true);
    expect(isDueToExpire(letter({ validUntil: today }), today)).toBe(false);
    expect(
      isDueToExpire(
        letter({ validFrom: '2026-01-01', validUntil: '2026-06-14' }, { status: 'revoked' }),
        today,
      ),
    ).toBe(false);
  });

  it('valid on a day: validFrom ≤ day ≤ validUntil, and not revoked or expired', () => {
    const l = { status: 'valid' as const, validFrom: '2026-06-01', validUntil: '2026-06-30' };
    expect(isValidOn(l, '2026-06-01')).toBe(true);
    expect(isValidOn(l, '2026-06-30')).toBe(true);
    expect(isValidOn(l, '2026-05-31')).toBe(false);
    expect(isValidOn(l, '2026-07-01')).toBe(false);
    expect(isValidOn({ ...l, status: 'expired' }, '2026-06-10')).toBe(false);
  });

  it('a house lapses only when its last security letter valid today expires', () => {
    const expiring = { letterId: 'lt_A', kind: 'security-responsibility' };
    const other = (o: Partial<Letter>) => ({
      letterId: 'lt_B',
      kind: 'security-responsibility',
      status: 'valid' as const,
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      ...o,
    });
    expect(leavesHouseWithoutSecurityLetter(expiring, [], today)).toBe(true);
    expect(leavesHouseWithoutSecurityLetter(expiring, [other({})], today)).toBe(false);
    // itself in the list does not count
    expect(leavesHouseWithoutSecurityLetter(expiring, [other({ letterId: 'lt_A' })], today)).toBe(true);
    // another kind, a revoked one, one that starts later or ended: none counts
    expect(leavesHouseWithoutSecurityLetter(expiring, [other({ kind: 'guarantee' })], today)).toBe(true);
    expect(leavesHouseWithoutSecurityLetter(expiring, [other({ status: 'revoked' })], today)).toBe(true);
    expect(leavesHouseWithoutSecurityLetter(expiring, [other({ validFrom: '2026-06-16' })], today)).toBe(
      true,
    );
    expect(leavesHouseWithoutSecurityLetter(expiring, [other({ validUntil: '2026-06-14' })], today)).toBe(
      true,
    );
    // a letter of another kind never lapses its house
    expect(leavesHouseWithoutSecurityLetter({ letterId: 'lt_A', kind: 'guarantee' }, [], today)).toBe(false);
  });

  it('a new security letter clears a lapse unless it is already over', () => {
    const lapsed = { securityLetterLapsedOn: '2026-06-01' };
    expect(clearsLapse({ kind: 'security-responsibility', validUntil: today }, lapsed, today)).toBe(true);
    expect(clearsLapse({ kind: 'security-responsibility', validUntil: '2026-06-14' }, lapsed, today)).toBe(
      false,
    );
    expect(clearsLapse({ kind: 'guarantee', validUntil: '2027-01-01' }, lapsed, today)).toBe(false);
    expect(
      clearsLapse(
        { kind: 'security-responsibility', validUntil: '2027-01-01' },
        { securityLetterLapsedOn: null },
        today,
      ),
    ).toBe(false);
  });
});

describe('tenant settings, read defensively', () => {
  it('letterExpiryWarningDays: default 30 when missing or malformed', () => {
    expect(defaultWarningDays).toBe(30);
    expect(warningDaysOf({})).toBe(30);
    expect(warningDaysOf(undefined)).toBe(30);
    expect(warningDaysOf({ letterExpiryWarningDays: 7 })).toBe(7);
    expect(warningDaysOf({ letterExpiryWarningDays: 0 })).toBe(0);
    expect(warningDaysOf({ letterExpiryWarningDays: -1 })).toBe(30);
    expect(warningDaysOf({ letterExpiryWarningDays: 1.5 })).toBe(30);
    expect(warningDaysOf({ letterExpiryWarningDays: '7' })).toBe(30);
  });

  it('extraLetterKinds: only well-formed kinds of a list count', () => {
    expect(extraKindsOf({})).toEqual([]);
    expect(extraKindsOf({ extraLetterKinds: 'rent-pledge' })).toEqual([]);
    expect(extraKindsOf({ extraLetterKinds: ['rent-pledge', 'Bad Kind', 3, 'pledge'] })).toEqual([
      'rent-pledge',
      'pledge',
    ]);
  });
});
