import { addDays } from '../../../../platform/dates.js';

/**
 * The letter lifecycle as a pure state machine (docs/housing.md, "Letter"): a letter is signed
 * `valid`, then either `expired` (by the job, once `validUntil` has passed) or `revoked` (by an
 * officer, with a reason). It is never edited: a correction is a revocation and a new letter.
 * While valid, the job flags it once (`expiringFlaggedOn`) when `validUntil` comes within the
 * tenant's warning days.
 */
export const builtInLetterKinds = [
  'security-responsibility',
  'guarantee',
  'family-planning-guarantee',
  'fire-safety-pledge',
  'employer-agreement',
] as const;
export type BuiltInLetterKind = (typeof builtInLetterKinds)[number];
/** The kind whose lapse marks its house (`securityLetterLapsedOn`). */
export const securityKind: BuiltInLetterKind = 'security-responsibility';

/** A kind is lower-case words joined by dashes (built-in, or from the tenant's `extraLetterKinds`). */
export const letterKindPattern = /^[a-z]+(?:-[a-z]+)*$/;
export const maxKindLength = 64;

export const letterStatuses = ['valid', 'expired', 'revoked'] as const;
export type LetterStatus = (typeof letterStatuses)[number];

/** Houses a letter may be signed for (a banned or closed house refuses it). */
export const openHouseStatuses = ['registered', 'discovered'] as const;

/** The default of the tenant setting `letterExpiryWarningDays`. */
export const defaultWarningDays = 30;

export const letterIdPrefix = 'lt';
/** Letter events (and the house events the letters module writes). */
export const letterEventIdPrefix = 'le';

export type LetterParty = { kind: 'landlord'; landlordId: string } | { kind: 'person'; personId: string };

export interface Letter {
  letterId: string;
  kind: string;
  party: LetterParty;
  houseId: string;
  /** The house's grid (fixed for the house's life): scope checks and statistics use it. */
  gridId: string;
  status: LetterStatus;
  signedOn: string;
  validFrom: string;
  validUntil: string;
  /** The name of the API key that recorded it (never client input). */
  signedBy: string;
  expiringFlaggedOn: string | null;
  revokedOn: string | null;
  revocationReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Every field of a letter, in the contract's order. */
export const letterFields = [
  'letterId',
  'kind',
  'party',
  'houseId',
  'gridId',
  'status',
  'signedOn',
  'validFrom',
  'validUntil',
  'signedBy',
  'expiringFlaggedOn',
  'revokedOn',
  'revocationReason',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Letter)[];

export type LetterAction = 'signed' | 'flagged-expiring' | 'expired' | 'revoked';

/** A change to apply: the next state, and which fields changed (names only). */
export interface LetterTransition {
  letter: Letter;
  action: LetterAction;
  changedFields: string[];
}

export class LetterRuleError extends Error {
  constructor(
    readonly code: 'unknown-kind' | 'date-in-future' | 'dates-out-of-order' | 'not-valid' | 'not-due',
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `kind` may be recorded: a built-in kind or one of the tenant's extra kinds. */
export function isKnownKind(kind: string, extraKinds: readonly string[]): boolean {
  return (builtInLetterKinds as readonly string[]).includes(kind) || extraKinds.includes(kind);
}

export const isBuiltInKind = (kind: string): boolean =>
  (builtInLetterKinds as readonly string[]).includes(kind);

/**
 * The tenant setting `extraLetterKinds`, read defensively: the setting may not exist (yet) in a
 * township's settings, or hold something that is not a list of kinds; only well-formed kinds count.
 */
export function extraKindsOf(settings: object | undefined): string[] {
  const raw = (settings as { extraLetterKinds?: unknown } | undefined)?.extraLetterKinds;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (k): k is string => typeof k === 'string' && k.length <= maxKindLength && letterKindPattern.test(k),
  );
}

/** The tenant setting `letterExpiryWarningDays` (default 30), read defensively like the kinds. */
export function warningDaysOf(settings: object | undefined): number {
  const raw = (settings as { letterExpiryWarningDays?: unknown } | undefined)?.letterExpiryWarningDays;
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 3650
    ? raw
    : defaultWarningDays;
}

/**
 * Letters valid until strictly before this day are inside the warning window: `validUntil <
 * today + warningDays + 1`, i.e. `validUntil ≤ today + warningDays`.
 */
export const flagBefore = (today: string, warningDays: number): string => addDays(today, warningDays + 1);

/** Whether the job flags this letter today. */
export const isDueForFlag = (l: Letter, today: string, warningDays: number): boolean =>
  l.status === 'valid' && l.expiringFlaggedOn === null && l.validUntil < flagBefore(today, warningDays);

/** Whether the job expires this letter today (its last valid day has passed). */
export const isDueToExpire = (l: Letter, today: string): boolean =>
  l.status === 'valid' && l.validUntil < today;

/** Valid on `day`: not revoked or expired, and `validFrom ≤ day ≤ validUntil`. */
export const isValidOn = (l: Pick<Letter, 'status' | 'validFrom' | 'validUntil'>, day: string): boolean =>
  l.status === 'valid' && l.validFrom <= day && day <= l.validUntil;

/**
 * Whether expiring `expiring` leaves its house without a security responsibility letter: it is
 * one, and none of the house's other letters is a security letter valid `today`.
 */
export function leavesHouseWithoutSecurityLetter(
  expiring: Pick<Letter, 'letterId' | 'kind'>,
  others: readonly Pick<Letter, 'letterId' | 'kind' | 'status' | 'validFrom' | 'validUntil'>[],
  today: string,
): boolean {
  if (expiring.kind !== securityKind) return false;
  return !others.some(
    (o) => o.letterId !== expiring.letterId && o.kind === securityKind && isValidOn(o, today),
  );
}

/**
 * Whether signing this letter clears its house's lapse flag: a security letter for a house
 * whose security letter lapsed, and not already over (`validUntil ≥ today`; one valid from a
 * later day clears it too: the house has its next letter).
 */
export const clearsLapse = (
  l: Pick<Letter, 'kind' | 'validUntil'>,
  house: { securityLetterLapsedOn?: string | null },
  today: string,
): boolean => l.kind === securityKind && !!house.securityLetterLapsedOn && l.validUntil >= today;

export interface SigningInput {
  kind: string;
  party: LetterParty;
  houseId: string;
  signedOn: string;
  validFrom: string;
  validUntil: string;
}

/** Check a letter's kind and dates (the order of the contract): each error names its field. */
export function checkSigning(input: SigningInput, today: string, extraKinds: readonly string[]): void {
  if (!isKnownKind(input.kind, extraKinds)) {
    throw new LetterRuleError(
      'unknown-kind',
      'kind',
      `must be one of ${[...builtInLetterKinds, ...extraKinds].join(', ')} (extra kinds are a township setting)`,
    );
  }
  if (input.signedOn > today)
    throw new LetterRuleError('date-in-future', 'signedOn', `signedOn is after today (${today})`);
  if (input.validFrom > input.validUntil)
    throw new LetterRuleError('dates-out-of-order', 'validUntil', 'validUntil is before validFrom');
}

export function sign(
  input: SigningInput,
  ids: { letterId: string; gridId: string; signedBy: string },
  today: string,
  now: string,
  extraKinds: readonly string[] = [],
): LetterTransition {
  checkSigning(input, today, extraKinds);
  const letter: Letter = {
    letterId: ids.letterId,
    kind: input.kind,
    party:
      input.party.kind === 'landlord'
        ? { kind: 'landlord', landlordId: input.party.landlordId }
        : { kind: 'person', personId: input.party.personId },
    houseId: input.houseId,
    gridId: ids.gridId,
    status: 'valid',
    signedOn: input.signedOn,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    signedBy: ids.signedBy,
    expiringFlaggedOn: null,
    revokedOn: null,
    revocationReason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return { letter, action: 'signed', changedFields: [...letterFields] };
}

function mustBeValid(l: Letter): void {
  if (l.status !== 'valid')
    throw new LetterRuleError('not-valid', undefined, `the letter is ${l.status}; only valid letters change`);
}

const next = (l: Letter, changes: Partial<Letter>, now: string): Letter => ({
  ...l,
  ...changes,
  version: l.version + 1,
  updatedAt: now,
});

export function revoke(l: Letter, input: { reason: string }, today: string, now: string): LetterTransition {
  mustBeValid(l);
  return {
    letter: next(l, { status: 'revoked', revokedOn: today, revocationReason: input.reason }, now),
    action: 'revoked',
    changedFields: ['status', 'revokedOn', 'revocationReason'],
  };
}

export function flagExpiring(l: Letter, today: string, warningDays: number, now: string): LetterTransition {
  mustBeValid(l);
  if (!isDueForFlag(l, today, warningDays))
    throw new LetterRuleError(
      'not-due',
      undefined,
      'the letter is flagged already or not within the warning days',
    );
  return {
    letter: next(l, { expiringFlaggedOn: today }, now),
    action: 'flagged-expiring',
    changedFields: ['expiringFlaggedOn'],
  };
}

export function expire(l: Letter, today: string, now: string): LetterTransition {
  mustBeValid(l);
  if (!isDueToExpire(l, today))
    throw new LetterRuleError('not-due', undefined, `the letter is valid until ${l.validUntil}`);
  return { letter: next(l, { status: 'expired' }, now), action: 'expired', changedFields: ['status'] };
}
