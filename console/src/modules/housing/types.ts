/**
 * The housing API's records as the console reads them (docs/housing.md; GET /v1/openapi.json
 * has the schemas). Optional fields are read defensively: an absent field and `null` are the same.
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
export const closureReasons = ['letting-stopped', 'demolished', 'converted', 'other'] as const;
export const letterKinds = [
  'security-responsibility',
  'guarantee',
  'family-planning-guarantee',
  'fire-safety-pledge',
  'employer-agreement',
] as const;
export const letterStatuses = ['valid', 'expired', 'revoked'] as const;
export type LetterStatus = (typeof letterStatuses)[number];

export interface HouseAddress {
  estate: string;
  building?: string | null;
  unit?: string | null;
  floor?: string | null;
  room?: string | null;
  door?: string | null;
}
export const addressParts = ['estate', 'building', 'unit', 'floor', 'room', 'door'] as const;
export type AddressPart = (typeof addressParts)[number];

export interface Contact {
  name: string;
  phone?: string | null;
}

export interface House {
  houseId: string;
  gridId: string;
  address: HouseAddress;
  standardAddressCode?: string | null;
  location?: { latitude: number; longitude: number } | null;
  plaque: string;
  houseType: string;
  use: string;
  lettingMode: string;
  area?: number | null;
  roomsLet?: number | null;
  monthlyRent?: number | null;
  maxOccupants?: number | null;
  managementClass: string;
  landlordId?: string | null;
  caretaker?: Contact | null;
  securityResponsible?: Contact | null;
  status: HouseStatus;
  registeredOn?: string | null;
  discoveredOn?: string | null;
  bannedOn?: string | null;
  closedOn?: string | null;
  lastInspectedOn?: string | null;
  lastInspection?: { inspectedOn: string; findings: string; hazard: boolean } | null;
  ban?: { reason: string; basis: string; bannedOn: string } | null;
  closure?: { reason: string; closedOn: string } | null;
  inspectionDueOn?: string | null;
  occupants?: number | null;
  overOccupied?: boolean | null;
  securityLetterLapsedOn?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Landlord {
  landlordId: string;
  kind: 'individual' | 'organisation';
  name: string;
  idNumber?: string | null;
  creditCode?: string | null;
  legalRepresentative?: string | null;
  phone?: string | null;
  address?: string | null;
  workplace?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type LetterParty = { kind: 'landlord'; landlordId: string } | { kind: 'person'; personId: string };

export interface Letter {
  letterId: string;
  kind: string;
  party: LetterParty;
  houseId: string;
  gridId: string;
  signedOn: string;
  validFrom: string;
  validUntil: string;
  signedBy: string;
  status: LetterStatus;
  expiringFlaggedOn?: string | null;
  revokedOn?: string | null;
  revocationReason?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One entry of a housing record's history (as a person's: action, actor, changed fields, extras). */
export interface HousingEvent {
  at: string;
  action: string;
  actor?: { keyId: string; name: string } | null;
  changedFields?: string[] | null;
  [extra: string]: unknown;
}

/** A banned house in the worklist, with the number of people still living in it. */
export type BannedHouse = House;
