import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { seesIdentifiersInLists, seesIdentifiersOnRecord } from '../../../platform/access/roles.js';
import type { AccessEntry } from '../repository/access-log.js';
import { maskIdNumber, maskPhone } from '../rules/id-number.js';
import { type Person, personFields } from '../rules/person.js';
import type { PersonView } from '../schemas.js';

/** The contract's person fields: nothing internal (hashes, closedOn) leaves. */
const contractFields = personFields.filter((f) => f !== 'closedOn');

/** What a caller may see of a person: viewers never see identifiers; lists show them to admin/office only. */
export function personView(p: Person, principal: Principal, inList: boolean): PersonView {
  const raw = inList ? seesIdentifiersInLists(principal.role) : seesIdentifiersOnRecord(principal.role);
  const view: Record<string, unknown> = Object.fromEntries(contractFields.map((f) => [f, p[f]]));
  if (!raw) {
    view.idNumber = maskIdNumber(p.idNumber);
    view.phone = p.phone === null ? null : maskPhone(p.phone);
  }
  return view as PersonView;
}

/** The identifiers a caller sees raw in a person's view (none for masked roles, no phone if none). */
export function identifiersShown(p: Pick<Person, 'phone'>, principal: Principal, inList: boolean): string[] {
  const raw = inList ? seesIdentifiersInLists(principal.role) : seesIdentifiersOnRecord(principal.role);
  if (!raw) return [];
  return p.phone === null ? ['idNumber'] : ['idNumber', 'phone'];
}

/** The access entry of a response showing this person raw, if it does. */
export function accessOf(
  p: Pick<Person, 'personId' | 'phone'>,
  seen: { principal: Principal; route: string; inList: boolean; at?: string },
): AccessEntry | undefined {
  const fields = identifiersShown(p, seen.principal, seen.inList);
  if (fields.length === 0) return undefined;
  return {
    at: seen.at ?? new Date().toISOString(),
    personId: p.personId,
    actor: actorOf(seen.principal),
    route: seen.route,
    fields,
  };
}
