import type { TenantContext } from '../../../platform/table/tenant-context.js';
import {
  accessLogRepository,
  type SubjectAccessEntry,
  subjectAccessItem,
} from '../../people/repository/access-log.js';
import { housingKeys as keys } from '../keys.js';

/**
 * Access entries of landlords and houses (who saw their raw identifiers): the people module's
 * access log, of these subjects. Each entry is kept beside its landlord or house (its partition)
 * and listed per API key in the same index as people's entries.
 */
const partitionOf = (t: TenantContext, subject: SubjectAccessEntry['subject']): string =>
  subject.kind === 'landlord'
    ? keys.landlordPartition(t, subject.landlordId)
    : keys.housePartition(t, subject.houseId);

/** The item of one entry (one more item of a write's transaction, or a Put of a read). */
export const housingAccessItem = (t: TenantContext, entry: SubjectAccessEntry): Record<string, unknown> =>
  subjectAccessItem(t, entry, (at, entryId) => keys.accessEntry(partitionOf(t, entry.subject), at, entryId));

/** The DynamoDB transaction item that writes one entry with a write (a Put). */
export const accessPut = (table: string, t: TenantContext, entry: SubjectAccessEntry) => ({
  Put: { TableName: table, Item: housingAccessItem(t, entry) },
});

export function housingAccessRepository(t: TenantContext) {
  const log = accessLogRepository(t);
  return {
    /** Entries of a read: one BatchWriteItem per 25 (nothing when there are none). */
    async record(entries: readonly SubjectAccessEntry[]): Promise<void> {
      if (entries.length > 0) await log.recordItems(entries.map((e) => housingAccessItem(t, e)));
    },

    /** One page of one landlord's or house's access log, newest first. */
    pageOf(page: { subject: SubjectAccessEntry['subject']; limit: number; afterSk?: string }) {
      const { subject, ...rest } = page;
      return log.pageOfPartition({ partition: partitionOf(t, subject), prefix: keys.accessPrefix, ...rest });
    },
  };
}
