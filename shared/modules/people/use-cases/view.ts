import type { Principal } from '../../../platform/access/principal.js';
import { seesIdentifiersInLists, seesIdentifiersOnRecord } from '../../../platform/access/roles.js';
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
