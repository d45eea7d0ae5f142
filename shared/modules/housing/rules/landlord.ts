import { parseIdNumber } from '../../people/rules/id-number.js';

/**
 * Landlords (docs/housing.md, "Landlord"): a person (`individual`, identified by a resident ID
 * number, validated exactly as a registration's) or an organisation (identified by its unified
 * social credit code, GB 32100-2015). One landlord per identifier in a township.
 */
export const landlordKinds = ['individual', 'organisation'] as const;
export type LandlordKind = (typeof landlordKinds)[number];

/** The 31 characters of a credit code, in value order (0–30): digits and letters but I O S V Z. */
export const creditCodeCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The GB 32100-2015 check character of the first 17 characters: 31 − (Σ value × weight mod 31), 31 → 0. */
export function creditCodeCheckCharacter(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) {
    throw new RangeError('creditCodeCheckCharacter needs 17 characters of the code’s charset');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += creditCodeCharset.indexOf(first17[i] as string) * CREDIT_WEIGHTS[i]!;
  return creditCodeCharset[(31 - (sum % 31)) % 31] as string;
}

export type ParseResult = { ok: true; value: string } | { ok: false; message: string };

/**
 * A unified social credit code, normalised (trimmed, upper-case): 18 characters of the charset
 * (digits and capitals but I, O, S, V, Z), the 3rd–8th the registering authority's
 * administrative division code (digits), the last the check character.
 */
export function parseCreditCode(input: string): ParseResult {
  const code = input.trim().toUpperCase();
  if (!CREDIT_SHAPE.test(code)) {
    return {
      ok: false,
      message:
        'must be 18 characters: digits and capital letters except I, O, S, V and Z, the 3rd to 8th digits',
    };
  }
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) {
    return { ok: false, message: 'the check character (the last) does not match: a typo?' };
  }
  return { ok: true, value: code };
}

interface LandlordBase {
  landlordId: string;
  name: string;
  phone: string;
  address: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface IndividualLandlord extends LandlordBase {
  kind: 'individual';
  /** Normalised; shown masked like a person's. */
  idNumber: string;
  workplace: string | null;
}

export interface OrganisationLandlord extends LandlordBase {
  kind: 'organisation';
  /** An organisation's identifier, not personal data: shown as it is. */
  creditCode: string;
  legalRepresentative: string;
}

export type Landlord = IndividualLandlord | OrganisationLandlord;

export type LandlordInput =
  | {
      kind: 'individual';
      name: string;
      idNumber: string;
      phone: string;
      address: string;
      workplace?: string | null;
    }
  | {
      kind: 'organisation';
      name: string;
      creditCode: string;
      legalRepresentative: string;
      phone: string;
      address: string;
    };

export type LandlordAction = 'created' | 'updated';

export interface LandlordTransition {
  landlord: Landlord;
  action: LandlordAction;
  changedFields: string[];
}

export class LandlordRuleError extends Error {
  constructor(
    readonly code: 'invalid-identifier' | 'field-not-allowed' | 'nothing-to-change',
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The identifier the identity guard is keyed by (its keyed hash: `'L:' + identifier`, docs/housing.md). */
export const landlordIdentifier = (l: Landlord): string =>
  l.kind === 'individual' ? l.idNumber : l.creditCode;

/** A new landlord, its identifier validated and normalised. */
export function createLandlord(
  input: LandlordInput,
  landlordId: string,
  today: string,
  now: string,
): LandlordTransition {
  const base = {
    landlordId,
    name: input.name,
    phone: input.phone,
    address: input.address,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  if (input.kind === 'individual') {
    const id = parseIdNumber(input.idNumber, today);
    if (!id.ok) throw new LandlordRuleError('invalid-identifier', 'idNumber', id.message);
    return {
      landlord: {
        ...base,
        kind: 'individual',
        idNumber: id.value.idNumber,
        workplace: input.workplace ?? null,
      },
      action: 'created',
      changedFields: [],
    };
  }
  const code = parseCreditCode(input.creditCode);
  if (!code.ok) throw new LandlordRuleError('invalid-identifier', 'creditCode', code.message);
  return {
    landlord: {
      ...base,
      kind: 'organisation',
      creditCode: code.value,
      legalRepresentative: input.legalRepresentative,
    },
    action: 'created',
    changedFields: [],
  };
}

export interface LandlordChanges {
  name?: string;
  phone?: string;
  address?: string;
  workplace?: string | null;
  legalRepresentative?: string;
}

/**
 * Corrections of a landlord's details. The kind and the identifier never change: a landlord
 * recorded with a wrong identifier is a different landlord (the guard is keyed by it).
 */
export function updateLandlord(l: Landlord, changes: LandlordChanges, now: string): LandlordTransition {
  if (l.kind === 'individual' && changes.legalRepresentative !== undefined) {
    throw new LandlordRuleError(
      'field-not-allowed',
      'legalRepresentative',
      'only an organisation has a legal representative',
    );
  }
  if (l.kind === 'organisation' && changes.workplace !== undefined) {
    throw new LandlordRuleError(
      'field-not-allowed',
      'workplace',
      'only an individual landlord has a workplace',
    );
  }
  const current = l as unknown as Record<string, unknown>;
  const changedFields = Object.entries(changes)
    .filter(([k, v]) => v !== undefined && current[k] !== v)
    .map(([k]) => k);
  if (changedFields.length === 0)
    throw new LandlordRuleError('nothing-to-change', undefined, 'nothing would change');
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  return {
    landlord: { ...l, ...defined, version: l.version + 1, updatedAt: now } as Landlord,
    action: 'updated',
    changedFields,
  };
}
