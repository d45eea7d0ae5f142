import { createHash } from 'node:crypto';
import { addDays } from '../../../platform/dates.js';
import type { InspectionIntervals } from '../../../platform/settings.js';

/**
 * A rental house's lifecycle as a pure state machine (docs/housing.md, "House"):
 *
 *   (create, discovered) ──register──▶ registered ──ban──▶ banned ──lift──▶ registered
 *   (create, registered) ────────────▶ registered ──close──▶ closed ──reopen──▶ registered
 *
 * Each step returns the next state, the history action and the names of the fields it changed
 * (never their values), like the people registry's transitions.
 */
export const houseStatuses = ['discovered', 'registered', 'banned', 'closed'] as const;
export type HouseStatus = (typeof houseStatuses)[number];
export const houseTypes = [
  'suite',
  'bungalow',
  'basement',
  'whole-house',
  'dormitory',
  'site-shed',
  'other',
] as const;
export const houseUses = ['dwelling', 'shop', 'warehouse', 'workshop', 'office', 'dormitory'] as const;
export const lettingModes = ['whole', 'split-rooms', 'group'] as const;
export const managementClasses = ['A', 'B', 'C'] as const;
export type ManagementClass = (typeof managementClasses)[number];
export const closureReasons = ['letting-stopped', 'demolished', 'converted', 'other'] as const;
export type ClosureReason = (typeof closureReasons)[number];

export interface HouseAddress {
  estate: string;
  building?: string | null;
  unit?: string | null;
  floor?: string | null;
  room?: string | null;
  door?: string | null;
}

export interface Contact {
  name: string;
  phone: string;
}

export interface House {
  houseId: string;
  /** Fixed for the house's life: a house does not move. */
  gridId: string;
  address: HouseAddress;
  standardAddressCode: string | null;
  location: { latitude: number; longitude: number } | null;
  /** Normalised (`normalisePlaque`): unique in the township. */
  plaque: string;
  houseType: (typeof houseTypes)[number];
  use: (typeof houseUses)[number];
  lettingMode: (typeof lettingModes)[number];
  area: number | null;
  roomsLet: number | null;
  monthlyRent: number | null;
  /** Without it a house is never over-occupied. */
  maxOccupants: number | null;
  managementClass: ManagementClass;
  landlordId: string | null;
  caretaker: Contact | null;
  securityResponsible: Contact | null;
  status: HouseStatus;
  discoveredOn: string | null;
  registeredOn: string | null;
  bannedOn: string | null;
  closedOn: string | null;
  lastInspectedOn: string | null;
  ban: { reason: string; basis: string; bannedOn: string } | null;
  closure: { reason: ClosureReason; closedOn: string } | null;
  /** The latest inspection's findings (ours: the contract keeps only `lastInspectedOn`). */
  lastInspection: { inspectedOn: string; findings: string; hazard: boolean } | null;
  /** Set by the letters job when the house's last security responsibility letter lapsed. */
  securityLetterLapsedOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Every field of a house as stored and shown, in the contract's order. */
export const houseFields = [
  'houseId',
  'gridId',
  'address',
  'standardAddressCode',
  'location',
  'plaque',
  'houseType',
  'use',
  'lettingMode',
  'area',
  'roomsLet',
  'monthlyRent',
  'maxOccupants',
  'managementClass',
  'landlordId',
  'caretaker',
  'securityResponsible',
  'status',
  'discoveredOn',
  'registeredOn',
  'bannedOn',
  'closedOn',
  'lastInspectedOn',
  'ban',
  'closure',
  'lastInspection',
  'securityLetterLapsedOn',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof House)[];

export const houseActions = [
  'created-as-discovered',
  'created-as-registered',
  'registered',
  'banned',
  'lifted',
  'closed',
  'reopened',
  'inspected',
  'updated',
  // written by the letters part (shared/modules/housing/letters/)
  'security-letter-lapsed',
  'security-letter-renewed',
] as const;
export type HouseAction = (typeof houseActions)[number];

/** A change to apply: the next state and which fields it changed (names only, never values). */
export interface HouseTransition {
  house: House;
  action: HouseAction;
  changedFields: string[];
}

export class HouseRuleError extends Error {
  constructor(
    readonly code:
      | 'wrong-status'
      | 'date-in-future'
      | 'date-out-of-order'
      | 'landlord-required'
      | 'nothing-to-change',
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Plaques compare as typed on the door: trimmed, upper-case, inner white space as one space. */
export function normalisePlaque(plaque: string): string {
  return plaque.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** The plaque guard's key part: SHA-256 of the normalised plaque (a plaque is no personal data). */
export function plaqueHash(plaque: string): string {
  return createHash('sha256').update(normalisePlaque(plaque), 'utf8').digest('base64url');
}

/**
 * The day the next inspection is due: the last inspection (or, never inspected, the
 * registration) plus the interval of the house's class. None for a closed house, nor for a
 * discovered one nobody has inspected yet.
 */
export function inspectionDueOn(
  h: Pick<House, 'status' | 'lastInspectedOn' | 'registeredOn' | 'managementClass'>,
  intervals: InspectionIntervals,
): string | null {
  if (h.status === 'closed') return null;
  const from = h.lastInspectedOn ?? h.registeredOn;
  return from === null ? null : addDays(from, intervals[h.managementClass]);
}

/** Over-occupied: a ceiling is set and more people live there than it allows. */
export const isOverOccupied = (maxOccupants: number | null, occupants: number): boolean =>
  maxOccupants !== null && occupants > maxOccupants;

function notInFuture(field: string, date: string, today: string): void {
  if (date > today) throw new HouseRuleError('date-in-future', field, `${field} is after today (${today})`);
}

function notBefore(field: string, date: string, earlier: { field: string; date: string | null }): void {
  if (earlier.date !== null && date < earlier.date) {
    throw new HouseRuleError('date-out-of-order', field, `${field} is before ${earlier.field}`);
  }
}

function inStatus(h: House, allowed: readonly HouseStatus[], doing: string): void {
  if (!allowed.includes(h.status)) {
    throw new HouseRuleError(
      'wrong-status',
      undefined,
      `the house is ${h.status}; only a ${allowed.join(' or ')} house can be ${doing}`,
    );
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function next(h: House, changes: Partial<House>, action: HouseAction, now: string): HouseTransition {
  const changedFields = Object.entries(changes)
    .filter(([k, v]) => !same(h[k as keyof House], v))
    .map(([k]) => k);
  return { house: { ...h, ...changes, version: h.version + 1, updatedAt: now }, action, changedFields };
}

export interface HouseInput {
  gridId: string;
  status: 'discovered' | 'registered';
  address: HouseAddress;
  standardAddressCode?: string | null;
  location?: { latitude: number; longitude: number } | null;
  plaque: string;
  houseType: House['houseType'];
  use: House['use'];
  lettingMode: House['lettingMode'];
  area?: number | null;
  roomsLet?: number | null;
  monthlyRent?: number | null;
  maxOccupants?: number | null;
  managementClass: ManagementClass;
  landlordId?: string | null;
  caretaker?: Contact | null;
  securityResponsible?: Contact | null;
  discoveredOn?: string;
  registeredOn?: string;
}

/** A new house, discovered (found, not registered yet) or registered at once (needs its landlord). */
export function createHouse(input: HouseInput, houseId: string, today: string, now: string): HouseTransition {
  const registered = input.status === 'registered';
  if (registered && !input.landlordId) {
    throw new HouseRuleError('landlord-required', 'landlordId', 'a registered house needs its landlord');
  }
  if (registered && input.discoveredOn !== undefined) {
    throw new HouseRuleError('wrong-status', 'discoveredOn', 'only a discovered house has discoveredOn');
  }
  if (!registered && input.registeredOn !== undefined) {
    throw new HouseRuleError('wrong-status', 'registeredOn', 'a discovered house is not registered yet');
  }
  const discoveredOn = registered ? null : (input.discoveredOn ?? today);
  const registeredOn = registered ? (input.registeredOn ?? today) : null;
  if (discoveredOn !== null) notInFuture('discoveredOn', discoveredOn, today);
  if (registeredOn !== null) notInFuture('registeredOn', registeredOn, today);
  const house: House = {
    houseId,
    gridId: input.gridId,
    address: input.address,
    standardAddressCode: input.standardAddressCode ?? null,
    location: input.location ?? null,
    plaque: normalisePlaque(input.plaque),
    houseType: input.houseType,
    use: input.use,
    lettingMode: input.lettingMode,
    area: input.area ?? null,
    roomsLet: input.roomsLet ?? null,
    monthlyRent: input.monthlyRent ?? null,
    maxOccupants: input.maxOccupants ?? null,
    managementClass: input.managementClass,
    landlordId: input.landlordId ?? null,
    caretaker: input.caretaker ?? null,
    securityResponsible: input.securityResponsible ?? null,
    status: input.status,
    discoveredOn,
    registeredOn,
    bannedOn: null,
    closedOn: null,
    lastInspectedOn: null,
    ban: null,
    closure: null,
    lastInspection: null,
    securityLetterLapsedOn: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return {
    house,
    action: registered ? 'created-as-registered' : 'created-as-discovered',
    changedFields: [],
  };
}

/** discovered → registered, with its landlord (named now, or already on the house). */
export function registerHouse(
  h: House,
  r: { registeredOn?: string; landlordId?: string },
  today: string,
  now: string,
): HouseTransition {
  inStatus(h, ['discovered'], 'registered');
  const landlordId = r.landlordId ?? h.landlordId;
  if (!landlordId) {
    throw new HouseRuleError('landlord-required', 'landlordId', 'a registered house needs its landlord');
  }
  const registeredOn = r.registeredOn ?? today;
  notInFuture('registeredOn', registeredOn, today);
  notBefore('registeredOn', registeredOn, { field: 'discoveredOn', date: h.discoveredOn });
  return next(h, { status: 'registered', registeredOn, landlordId }, 'registered', now);
}

/** registered → banned: an illegal rental. Its occupants stay; the banned-house worklist shows them. */
export function banHouse(
  h: House,
  b: { reason: string; basis: string; bannedOn: string },
  today: string,
  now: string,
): HouseTransition {
  inStatus(h, ['registered'], 'banned');
  notInFuture('bannedOn', b.bannedOn, today);
  notBefore('bannedOn', b.bannedOn, { field: 'registeredOn', date: h.registeredOn });
  return next(
    h,
    {
      status: 'banned',
      bannedOn: b.bannedOn,
      ban: { reason: b.reason, basis: b.basis, bannedOn: b.bannedOn },
    },
    'banned',
    now,
  );
}

/** banned → registered (the ban is lifted; `registeredOn` stays the original registration). */
export function liftBan(h: House, l: { liftedOn: string }, today: string, now: string): HouseTransition {
  inStatus(h, ['banned'], 'lifted');
  notInFuture('liftedOn', l.liftedOn, today);
  notBefore('liftedOn', l.liftedOn, { field: 'bannedOn', date: h.bannedOn });
  return next(h, { status: 'registered', bannedOn: null, ban: null }, 'lifted', now);
}

/** registered → closed: letting stopped (the use case refuses it while anyone lives there). */
export function closeHouse(
  h: House,
  c: { reason: ClosureReason; closedOn: string },
  today: string,
  now: string,
): HouseTransition {
  inStatus(h, ['registered'], 'closed');
  notInFuture('closedOn', c.closedOn, today);
  notBefore('closedOn', c.closedOn, { field: 'registeredOn', date: h.registeredOn });
  return next(
    h,
    { status: 'closed', closedOn: c.closedOn, closure: { reason: c.reason, closedOn: c.closedOn } },
    'closed',
    now,
  );
}

/** closed → registered again, with a new `registeredOn`. */
export function reopenHouse(
  h: House,
  r: { registeredOn: string },
  today: string,
  now: string,
): HouseTransition {
  inStatus(h, ['closed'], 'reopened');
  notInFuture('registeredOn', r.registeredOn, today);
  notBefore('registeredOn', r.registeredOn, { field: 'closedOn', date: h.closedOn });
  return next(
    h,
    { status: 'registered', registeredOn: r.registeredOn, closedOn: null, closure: null },
    'reopened',
    now,
  );
}

/** An inspection (discovered, registered or banned): `lastInspectedOn` never moves backwards. */
export function inspectHouse(
  h: House,
  i: { inspectedOn: string; findings: string; hazard?: boolean },
  today: string,
  now: string,
): HouseTransition {
  inStatus(h, ['discovered', 'registered', 'banned'], 'inspected');
  notInFuture('inspectedOn', i.inspectedOn, today);
  notBefore('inspectedOn', i.inspectedOn, { field: 'discoveredOn', date: h.discoveredOn });
  if (h.lastInspectedOn !== null && i.inspectedOn < h.lastInspectedOn) {
    // An older inspection is history, not the latest state: recorded as an event only.
    return next(h, {}, 'inspected', now);
  }
  return next(
    h,
    {
      lastInspectedOn: i.inspectedOn,
      lastInspection: { inspectedOn: i.inspectedOn, findings: i.findings, hazard: i.hazard ?? false },
    },
    'inspected',
    now,
  );
}

export type HouseChanges = Partial<
  Pick<
    House,
    | 'address'
    | 'standardAddressCode'
    | 'location'
    | 'plaque'
    | 'houseType'
    | 'use'
    | 'lettingMode'
    | 'area'
    | 'roomsLet'
    | 'monthlyRent'
    | 'maxOccupants'
    | 'managementClass'
    | 'landlordId'
    | 'caretaker'
    | 'securityResponsible'
  >
>;

/** Corrections and changes of the house's details (not its grid, not its status). */
export function updateHouse(h: House, changes: HouseChanges, now: string): HouseTransition {
  const c: HouseChanges = { ...changes };
  if (c.plaque !== undefined) c.plaque = normalisePlaque(c.plaque);
  if (c.landlordId === null && h.status !== 'discovered') {
    throw new HouseRuleError(
      'landlord-required',
      'landlordId',
      `a ${h.status} house keeps a landlord (only a discovered house may have none)`,
    );
  }
  const t = next(h, c, 'updated', now);
  if (t.changedFields.length === 0)
    throw new HouseRuleError('nothing-to-change', undefined, 'nothing would change');
  return t;
}

/** Id prefixes this part of the module mints: houses, landlords, their history events. */
export const houseIdPrefix = 'h';
export const landlordIdPrefix = 'l';
export const housingEventIdPrefix = 'he';
