import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { mintId } from '../../../platform/ids.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { registryIndexes } from '../../../platform/table/definition.js';
import { batchGet } from '../../../platform/table/query.js';
import type { ItemKey, TenantContext } from '../../../platform/table/tenant-context.js';
import { accessIndexKeys, peopleKeys as keys, peopleIndexKeys } from '../keys.js';
import { accessEntryIdPrefix } from '../rules/person.js';

/**
 * Who saw whose identity (PIPL: an ID number is sensitive personal information): one entry per
 * response that carried a person's raw ID number or phone — the key, the person, the route,
 * when and which fields, never the values. Kept beside the person (listed per person) and
 * indexed per API key.
 */
export interface AccessEntry {
  at: string;
  personId: string;
  actor: Actor;
  route: string;
  fields: string[];
}

/**
 * Whose identifiers an entry is about: a person, a landlord (an individual's ID number, any
 * landlord's phone) or a house (its caretaker's and security responsible's phones).
 */
export type AccessSubject =
  | { kind: 'person'; personId: string }
  | { kind: 'landlord'; landlordId: string }
  | { kind: 'house'; houseId: string };

/** An access entry of any subject (the housing module's; a person's is an {@link AccessEntry}). */
export interface SubjectAccessEntry {
  at: string;
  subject: Exclude<AccessSubject, { kind: 'person' }>;
  actor: Actor;
  route: string;
  fields: string[];
}

/** An entry as the access logs answer it: a person's keeps `personId` beside its `subject`. */
export type AccessLogEntry =
  | (AccessEntry & { subject: { kind: 'person'; personId: string } })
  | SubjectAccessEntry;

/** The item of one access entry (a Put of its own, or one more item of a write's transaction). */
export function accessItem(t: TenantContext, entry: AccessEntry): Record<string, unknown> {
  const entryId = mintId(accessEntryIdPrefix);
  return {
    ...keys.accessEntry(t, entry.personId, entry.at, entryId),
    ...accessIndexKeys(t, entry.actor.keyId, entry.at, entryId),
    entity: 'access',
    tenantId: t.tenantId,
    ...entry,
  };
}

/**
 * The item of an entry about another subject, kept beside it: `keyOf` is the subject module's
 * key builder (`ACCESS#<at>#<entryId>` in the subject's partition); listed per API key in the
 * same index as a person's entries.
 */
export function subjectAccessItem(
  t: TenantContext,
  entry: SubjectAccessEntry,
  keyOf: (at: string, entryId: string) => ItemKey,
): Record<string, unknown> {
  const entryId = mintId(accessEntryIdPrefix);
  return {
    ...keyOf(entry.at, entryId),
    ...accessIndexKeys(t, entry.actor.keyId, entry.at, entryId),
    entity: 'access',
    tenantId: t.tenantId,
    ...entry,
  };
}

const view = (it: Record<string, unknown>): AccessLogEntry => {
  const seen = {
    actor: it.actor as Actor,
    route: it.route as string,
    fields: (it.fields as string[] | undefined) ?? [],
  };
  const at = it.at as string;
  // Entries of other subjects store theirs; a person's stores only `personId` (its subject derived).
  const subject = it.subject as SubjectAccessEntry['subject'] | undefined;
  if (subject) return { at, subject, ...seen };
  const personId = it.personId as string;
  return { at, personId, subject: { kind: 'person', personId }, ...seen };
};

export function accessLogRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  /** Write access items (of any subject): one BatchWriteItem per 25, retried until all are written. */
  const recordItems = async (accessItems: readonly Record<string, unknown>[]): Promise<void> => {
    for (let i = 0; i < accessItems.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = accessItems
        .slice(i, i + 25)
        .map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
      }
    }
  };

  /**
   * One page of the access log kept in one subject's partition (a person's, a landlord's, a
   * house's: the subject's module builds the partition key and the entries' sort-key prefix),
   * newest first.
   */
  const pageOfPartition = async (page: {
    partition: string;
    prefix: string;
    limit: number;
    afterSk?: string;
  }) => {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: page.afterSk
          ? 'pk = :pk AND sk BETWEEN :first AND :after'
          : 'pk = :pk AND begins_with(sk, :first)',
        ExpressionAttributeValues: {
          ':pk': page.partition,
          ':first': page.prefix,
          ...(page.afterSk ? { ':after': page.afterSk } : {}),
        },
        ScanIndexForward: false,
        Limit: page.limit + (page.afterSk ? 1 : 0),
      }),
    );
    const items = (out.Items ?? []).filter((it) => it.sk !== page.afterSk).slice(0, page.limit);
    return {
      entries: items.map(view),
      lastSk: items.at(-1)?.sk as string | undefined,
      more: out.LastEvaluatedKey !== undefined,
    };
  };

  return {
    /** Record entries of a read: one BatchWriteItem per 25 (retried until every one is written). */
    record: (entries: readonly AccessEntry[]): Promise<void> =>
      recordItems(entries.map((e) => accessItem(t, e))),

    recordItems,

    /** One page of a person's access log, newest first. */
    pageOfPerson(page: { personId: string; limit: number; afterSk?: string }) {
      const { personId, ...rest } = page;
      return pageOfPartition({
        partition: keys.personPartition(t, personId),
        prefix: keys.accessPrefix,
        ...rest,
      });
    },

    pageOfPartition,

    /**
     * One page of what one API key saw, newest first, of every subject (index Query, then the
     * entries themselves).
     */
    async pageOfKey(page: { keyId: string; limit: number; afterSk?: string }) {
      const index = registryIndexes.byTenant;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: `#pk = :pk${page.afterSk ? ' AND #sk < :after' : ''}`,
          ExpressionAttributeNames: {
            '#pk': index.partitionKey,
            ...(page.afterSk ? { '#sk': index.sortKey } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': peopleIndexKeys.accessOfKey(t, page.keyId),
            ...(page.afterSk ? { ':after': page.afterSk } : {}),
          },
          ScanIndexForward: false,
          Limit: page.limit,
        }),
      );
      const found = out.Items ?? [];
      const items = await batchGet(
        table,
        found.map((it) => ({ pk: it.pk as string, sk: it.sk as string })),
      );
      const byKey = new Map(items.map((it) => [`${it.pk as string} ${it.sk as string}`, it]));
      return {
        entries: found.flatMap((it) => {
          const item = byKey.get(`${it.pk as string} ${it.sk as string}`);
          return item ? [view(item)] : [];
        }),
        lastSk: found.at(-1)?.[index.sortKey] as string | undefined,
        more: out.LastEvaluatedKey !== undefined,
      };
    },
  };
}
