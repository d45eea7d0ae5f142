import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { mintId } from '../../../platform/ids.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { registryIndexes } from '../../../platform/table/definition.js';
import { batchGet } from '../../../platform/table/query.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
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

const view = (it: Record<string, unknown>): AccessEntry => ({
  at: it.at as string,
  personId: it.personId as string,
  actor: it.actor as Actor,
  route: it.route as string,
  fields: (it.fields as string[] | undefined) ?? [],
});

export function accessLogRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();
  return {
    /** Record entries of a read: one BatchWriteItem per 25 (retried until every one is written). */
    async record(entries: readonly AccessEntry[]): Promise<void> {
      for (let i = 0; i < entries.length; i += 25) {
        let pending: Record<string, unknown>[] | undefined = entries
          .slice(i, i + 25)
          .map((e) => ({ PutRequest: { Item: accessItem(t, e) } }));
        while (pending && pending.length > 0) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
          pending = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
        }
      }
    },

    /** One page of a person's access log, newest first. */
    async pageOfPerson(page: { personId: string; limit: number; afterSk?: string }) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: page.afterSk
            ? 'pk = :pk AND sk BETWEEN :first AND :after'
            : 'pk = :pk AND begins_with(sk, :first)',
          ExpressionAttributeValues: {
            ':pk': keys.personPartition(t, page.personId),
            ':first': keys.accessPrefix,
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
    },

    /** One page of what one API key saw, newest first (index Query, then the entries themselves). */
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
      const bySk = new Map(items.map((it) => [it.sk as string, it]));
      return {
        entries: found.flatMap((it) => {
          const item = bySk.get(it.sk as string);
          return item ? [view(item)] : [];
        }),
        lastSk: found.at(-1)?.[index.sortKey] as string | undefined,
        more: out.LastEvaluatedKey !== undefined,
      };
    },
  };
}
