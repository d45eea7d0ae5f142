import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { seesIdentifiersInLists, seesIdentifiersOnRecord } from '../../../platform/access/roles.js';
import type { InspectionIntervals } from '../../../platform/settings.js';
import type { SubjectAccessEntry } from '../../people/repository/access-log.js';
import { maskIdNumber, maskPhone } from '../../people/rules/id-number.js';
import { type Contact, type House, houseFields, inspectionDueOn, isOverOccupied } from '../rules/house.js';
import type { Landlord } from '../rules/landlord.js';
import type { HouseView, LandlordView } from '../schemas.js';

/**
 * What a caller may see of houses and landlords: the people registry's rule — viewers never see
 * identifiers; lists show them raw to admin and office keys only; one record's page to every
 * role but viewers. Identifiers here are an individual landlord's ID number and every phone
 * (a landlord's, a caretaker's, a security responsible's). A credit code identifies an
 * organisation, not a person: shown as it is.
 */
const seesRaw = (principal: Principal, inList: boolean) =>
  inList ? seesIdentifiersInLists(principal.role) : seesIdentifiersOnRecord(principal.role);

const maskedContact = (c: Contact | null, raw: boolean): Contact | null =>
  c === null || raw ? c : { ...c, phone: maskPhone(c.phone) };

export function houseView(
  h: House,
  seen: { principal: Principal; inList: boolean; occupants: number; intervals: InspectionIntervals },
): HouseView {
  const raw = seesRaw(seen.principal, seen.inList);
  const view: Record<string, unknown> = Object.fromEntries(houseFields.map((f) => [f, h[f]]));
  view.caretaker = maskedContact(h.caretaker, raw);
  view.securityResponsible = maskedContact(h.securityResponsible, raw);
  view.inspectionDueOn = inspectionDueOn(h, seen.intervals);
  view.occupants = seen.occupants;
  view.overOccupied = isOverOccupied(h.maxOccupants, seen.occupants);
  return view as HouseView;
}

export function landlordView(l: Landlord, seen: { principal: Principal; inList: boolean }): LandlordView {
  const raw = seesRaw(seen.principal, seen.inList);
  const common = {
    landlordId: l.landlordId,
    kind: l.kind,
    name: l.name,
    phone: raw ? l.phone : maskPhone(l.phone),
    address: l.address,
    version: l.version,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
  if (l.kind === 'individual') {
    return { ...common, idNumber: raw ? l.idNumber : maskIdNumber(l.idNumber), workplace: l.workplace };
  }
  return { ...common, creditCode: l.creditCode, legalRepresentative: l.legalRepresentative };
}

/** The identifiers a caller sees raw in a landlord's view (an individual's ID number, the phone). */
export function landlordIdentifiersShown(
  l: Pick<Landlord, 'kind'>,
  seen: { principal: Principal; inList: boolean },
): string[] {
  if (!seesRaw(seen.principal, seen.inList)) return [];
  return l.kind === 'individual' ? ['idNumber', 'phone'] : ['phone'];
}

/** The phones a caller sees raw in a house's view (its caretaker's, its security responsible's). */
export function houseIdentifiersShown(
  h: Pick<House, 'caretaker' | 'securityResponsible'>,
  seen: { principal: Principal; inList: boolean },
): string[] {
  if (!seesRaw(seen.principal, seen.inList)) return [];
  return [
    ...(h.caretaker === null ? [] : ['caretaker.phone']),
    ...(h.securityResponsible === null ? [] : ['securityResponsible.phone']),
  ];
}

interface Seen {
  principal: Principal;
  route: string;
  inList: boolean;
  at?: string;
}

const entryOf = (subject: SubjectAccessEntry['subject'], fields: string[], seen: Seen) =>
  fields.length === 0
    ? undefined
    : {
        at: seen.at ?? new Date().toISOString(),
        subject,
        actor: actorOf(seen.principal),
        route: seen.route,
        fields,
      };

/** The access entry of a response showing this landlord raw, if it does (never the values). */
export const landlordAccessOf = (
  l: Pick<Landlord, 'landlordId' | 'kind'>,
  seen: Seen,
): SubjectAccessEntry | undefined =>
  entryOf({ kind: 'landlord', landlordId: l.landlordId }, landlordIdentifiersShown(l, seen), seen);

/** The access entry of a response showing this house's contacts' phones raw, if it does. */
export const houseAccessOf = (
  h: Pick<House, 'houseId' | 'caretaker' | 'securityResponsible'>,
  seen: Seen,
): SubjectAccessEntry | undefined =>
  entryOf({ kind: 'house', houseId: h.houseId }, houseIdentifiersShown(h, seen), seen);
