import type { TenantContext } from '../../../../platform/table/tenant-context.js';
import { letterReads } from './reads.js';
import { letterWrites } from './writes.js';

export {
  HouseNotOpenError,
  StaleHouseError,
  StaleLetterWriteError,
  UnknownHouseError,
  UnknownPartyError,
} from './errors.js';
export type { HouseFacts } from './items.js';
export { houseMarkEventItem, letterEventItem, letterFromItem, letterItem } from './items.js';
export type { LetterFilter, LetterHistoryEntry, LetterPage } from './reads.js';
export type { HouseMark } from './writes.js';

/** Letters and their history, bound to one tenant: no key can be built for another tenant's items here. */
export function letterRepository(t: TenantContext) {
  return { ...letterReads(t), ...letterWrites(t) };
}
