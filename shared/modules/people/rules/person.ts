import { addDays } from '../../../platform/dates.js';
import type { Sex } from './id-number.js';

/**
 * The registration lifecycle as a pure state machine: "registered when they come, written off
 * when they leave". `active` → `departed` (an officer writes it off) or `closed` (stale: nobody
 * verified it in time). Only active registrations change; a person who comes back gets a new
 * registration.
 */
export const statuses = ['active', 'departed', 'closed'] as const;
export type Status = (typeof statuses)[number];
export const flows = ['inflow', 'outflow'] as const;
export type Flow = (typeof flows)[number];
export const maritalStatuses = ['single', 'married', 'divorced', 'widowed'] as const;
export type MaritalStatus = (typeof maritalStatuses)[number];
export const departureReasons = ['left', 'returned-home', 'transferred', 'deceased', 'duplicate'] as const;
export type DepartureReason = (typeof departureReasons)[number];
export const verificationOutcomes = ['present', 'absent', 'moved'] as const;
export type VerificationOutcome = (typeof verificationOutcomes)[number];

export interface Person {
  personId: string;
  cardNumber: string;
  idNumber: string;
  name: string;
  sex: Sex;
  birthDate: string;
  flow: Flow;
  gridId: string;
  address: string;
  /** The house the person lives in (housing module), if known: always a house of `gridId`. */
  houseId: string | null;
  arrivedOn: string;
  lastVerifiedOn: string | null;
  maritalStatus: MaritalStatus;
  phone: string | null;
  occupation: string | null;
  employer: string | null;
  originRegion: string | null;
  status: Status;
  departedOn: string | null;
  departureReason: DepartureReason | null;
  /** The day the registration was closed as stale (not in the contract's person, kept for statistics). */
  closedOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Every field of a person, in the contract's order (`closedOn`, ours, last). */
export const personFields = [
  'personId',
  'cardNumber',
  'idNumber',
  'name',
  'sex',
  'birthDate',
  'flow',
  'gridId',
  'address',
  'houseId',
  'arrivedOn',
  'lastVerifiedOn',
  'maritalStatus',
  'phone',
  'occupation',
  'employer',
  'originRegion',
  'status',
  'departedOn',
  'departureReason',
  'version',
  'createdAt',
  'updatedAt',
  'closedOn',
] as const satisfies readonly (keyof Person)[];

/** The day someone last proved to be here: the last verification, else the arrival. */
export const lastSeenOn = (p: Pick<Person, 'lastVerifiedOn' | 'arrivedOn'>): string =>
  p.lastVerifiedOn ?? p.arrivedOn;

export type HistoryAction = 'registered' | 'updated' | 'verified' | 'departed' | 'closed';

/** A change to apply: the next state and which fields it changed (names only, never values). */
export interface Transition {
  person: Person;
  action: HistoryAction;
  changedFields: string[];
}

export class LifecycleError extends Error {
  constructor(
    readonly code:
      | 'not-active'
      | 'date-before-arrival'
      | 'date-in-future'
      | 'nothing-to-change'
      | 'field-not-allowed',
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface RegistrationInput {
  idNumber: string;
  sex: Sex;
  birthDate: string;
  name: string;
  flow: Flow;
  gridId: string;
  address: string;
  arrivedOn: string;
  maritalStatus: MaritalStatus;
  lastVerifiedOn?: string | null;
  houseId?: string | null;
  phone?: string | null;
  occupation?: string | null;
  employer?: string | null;
  originRegion?: string | null;
}

function notInFuture(field: string, date: string, today: string): void {
  if (date > today) throw new LifecycleError('date-in-future', field, `${field} is after today (${today})`);
}

function notBeforeArrival(field: string, date: string, arrivedOn: string): void {
  if (date < arrivedOn)
    throw new LifecycleError('date-before-arrival', field, `${field} is before arrivedOn`);
}

export function register(
  input: RegistrationInput,
  ids: { personId: string; cardNumber: string },
  today: string,
  now: string,
): Transition {
  notInFuture('arrivedOn', input.arrivedOn, today);
  if (input.lastVerifiedOn) {
    notInFuture('lastVerifiedOn', input.lastVerifiedOn, today);
    notBeforeArrival('lastVerifiedOn', input.lastVerifiedOn, input.arrivedOn);
  }
  if (input.birthDate > input.arrivedOn) {
    throw new LifecycleError(
      'date-before-arrival',
      'arrivedOn',
      'arrivedOn is before the birth date in idNumber',
    );
  }
  const person: Person = {
    personId: ids.personId,
    cardNumber: ids.cardNumber,
    idNumber: input.idNumber,
    name: input.name,
    sex: input.sex,
    birthDate: input.birthDate,
    flow: input.flow,
    gridId: input.gridId,
    address: input.address,
    houseId: input.houseId ?? null,
    arrivedOn: input.arrivedOn,
    lastVerifiedOn: input.lastVerifiedOn ?? null,
    maritalStatus: input.maritalStatus,
    phone: input.phone ?? null,
    occupation: input.occupation ?? null,
    employer: input.employer ?? null,
    originRegion: input.originRegion ?? null,
    status: 'active',
    departedOn: null,
    departureReason: null,
    closedOn: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return { person, action: 'registered', changedFields: [] };
}

function assertActive(p: Person): void {
  if (p.status !== 'active') {
    throw new LifecycleError(
      'not-active',
      undefined,
      `the registration is ${p.status}; only active registrations change`,
    );
  }
}

function next(p: Person, changes: Partial<Person>, action: HistoryAction, now: string): Transition {
  const changedFields = Object.entries(changes)
    .filter(([k, v]) => p[k as keyof Person] !== v)
    .map(([k]) => k);
  return { person: { ...p, ...changes, version: p.version + 1, updatedAt: now }, action, changedFields };
}

export type PersonChanges = Partial<
  Pick<Person, 'phone' | 'gridId' | 'houseId' | 'address' | 'maritalStatus' | 'occupation' | 'employer'>
>;

/**
 * A house never moves grids: a person moving to another grid leaves their house unless the
 * change names the house they move into (whose grid the write's transaction checks).
 */
function withHouseOfGrid(p: Person, changes: Partial<Person>): Partial<Person> {
  const movesGrid = changes.gridId !== undefined && changes.gridId !== p.gridId;
  return movesGrid && changes.houseId === undefined ? { ...changes, houseId: null } : changes;
}

export function update(p: Person, changes: PersonChanges, now: string): Transition {
  assertActive(p);
  const t = next(p, withHouseOfGrid(p, changes), 'updated', now);
  if (t.changedFields.length === 0)
    throw new LifecycleError('nothing-to-change', undefined, 'nothing would change');
  return t;
}

export interface Verification {
  verifiedOn: string;
  outcome: VerificationOutcome;
  gridId?: string;
  address?: string;
  /** The house moved into (`null`: none); moving grid without naming one leaves the house. */
  houseId?: string | null;
}

/**
 * `present` and `moved` set lastVerifiedOn (never backwards); `moved` may change grid, address
 * and house.
 */
export function verify(p: Person, v: Verification, today: string, now: string): Transition {
  assertActive(p);
  notInFuture('verifiedOn', v.verifiedOn, today);
  notBeforeArrival('verifiedOn', v.verifiedOn, p.arrivedOn);
  if (v.outcome !== 'moved') {
    const field = (['gridId', 'address', 'houseId'] as const).find((f) => v[f] !== undefined);
    if (field !== undefined) {
      throw new LifecycleError(
        'field-not-allowed',
        field,
        field === 'houseId'
          ? 'only a "moved" verification changes the house'
          : 'only a "moved" verification changes grid or address',
      );
    }
  }
  const changes: Partial<Person> = {};
  if (v.outcome !== 'absent' && (p.lastVerifiedOn === null || v.verifiedOn > p.lastVerifiedOn)) {
    changes.lastVerifiedOn = v.verifiedOn;
  }
  if (v.gridId !== undefined) changes.gridId = v.gridId;
  if (v.address !== undefined) changes.address = v.address;
  if (v.houseId !== undefined) changes.houseId = v.houseId;
  return next(p, withHouseOfGrid(p, changes), 'verified', now);
}

export function depart(
  p: Person,
  d: { departedOn: string; reason: DepartureReason },
  today: string,
  now: string,
): Transition {
  assertActive(p);
  notInFuture('departedOn', d.departedOn, today);
  notBeforeArrival('departedOn', d.departedOn, p.arrivedOn);
  return next(
    p,
    { status: 'departed', departedOn: d.departedOn, departureReason: d.reason },
    'departed',
    now,
  );
}

/** Closed as stale by the scheduled job on `closedOn` (the tenant's today). */
export function close(p: Person, closedOn: string, now: string): Transition {
  assertActive(p);
  return next(p, { status: 'closed', closedOn }, 'closed', now);
}

/**
 * "More than N days ago": last seen strictly before `addDays(today, -N)`. Used for stale
 * registrations (staleAfterDays) and for verificationDue (verificationCycleDays).
 */
export function overdueBefore(today: string, days: number): string {
  return addDays(today, -days);
}

/** Id prefixes this module mints: people and their history events. */
export const personIdPrefix = 'p';
export const eventIdPrefix = 'e';
export const accessEntryIdPrefix = 'a';
