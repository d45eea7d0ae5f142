import type { TenantContext } from '../../platform/table/tenant-context.js';
import { personReads } from './repository/reads.js';
import { personWrites } from './repository/writes.js';

export {
  DuplicateIdNumberError,
  HouseRefusedError,
  StaleWriteError,
  UnknownGridError,
} from './repository/errors.js';
export { personFromItem, personItem } from './repository/items.js';
export type { HistoryEntry } from './repository/reads.js';
export type { PersonChange } from './repository/writes.js';

/** People and their history, bound to one tenant: no key can be built for another tenant's items here. */
export function personRepository(t: TenantContext) {
  return { ...personReads(t), ...personWrites(t) };
}
