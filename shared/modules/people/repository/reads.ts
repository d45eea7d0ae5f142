import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { InvalidInput } from '../../../platform/errors.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { type IndexDefinition, registryIndexes } from '../../../platform/table/definition.js';
import { batchGet, queryAll, queryPages } from '../../../platform/table/query.js';
import type { ItemKey, TenantContext } from '../../../platform/table/tenant-context.js';
import { housingKeys } from '../../housing/keys.js';
import {
  dueShardCount,
  peopleIndexKeys as indexKeys,
  peopleKeys as keys,
  personIdOfKey,
  personIdOfSk,
} from '../keys.js';
import type { Person } from '../rules/person.js';
import { personFromItem } from './items.js';

export interface HistoryEntry {
  at: string;
  action: string;
  actor: Actor;
  changedFields: string[];
  verifiedOn?: string;
  outcome?: string;
}

export interface PeoplePageOfIndex {
  people: Person[];
  lastSk: string | undefined;
  more: boolean;
}

interface IndexPage {
  index: IndexDefinition;
  pk: string;
  forward: boolean;
  limit: number;
  afterSk: string | undefined;
  stillMatches: (p: Person) => boolean;
  /** Keep only index entries matching these projected attributes (a filter in the same Query). */
  filter?: { status?: string; gridIds?: readonly string[] };
}

function filterExpression(filter: IndexPage['filter']) {
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter?.status !== undefined) {
    terms.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter?.gridIds !== undefined) {
    const list = filter.gridIds.map((g, i) => {
      values[`:g${i}`] = g;
      return `:g${i}`;
    });
    terms.push(list.length > 0 ? `#gridId IN (${list.join(', ')})` : 'attribute_not_exists(#gridId)');
    names['#gridId'] = 'gridId';
  }
  return terms.length === 0 ? undefined : { expression: terms.join(' AND '), names, values };
}

/** Reading people: every method is bound to one tenant. */
export function personReads(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  async function batchGetPeople(itemKeys: ItemKey[]): Promise<Person[]> {
    const byKey = new Map<string, Person>();
    for (const it of await batchGet(table, itemKeys, { consistentRead: true }))
      byKey.set(it.pk as string, personFromItem(it));
    return itemKeys.map((k) => byKey.get(k.pk)).filter((p): p is Person => p !== undefined);
  }

  /**
   * Where a page after `afterSk` starts: the index entry of the person it names (the table's key
   * and the index's key). The entry need not exist any more (the person moved on): a start key
   * is a position in the index, not an item.
   */
  function startAfter(index: IndexDefinition, pk: string, afterSk: string): Record<string, string> {
    const personId = personIdOfSk(afterSk);
    if (personId === undefined) throw InvalidInput.field('query.cursor', 'not a cursor of this list');
    return { ...keys.person(t, personId), [index.partitionKey]: pk, [index.sortKey]: afterSk };
  }

  /**
   * Indexes hold keys only (no personal data is projected); a page is read from the index, then
   * the people themselves with a strongly consistent BatchGet. Someone who left the index's
   * partition between the two reads (moved grid, changed status) is dropped, not duplicated.
   *
   * The sort key is bound to people (`begins_with PERSON#`): a grid's partition also holds its
   * verification events, houses and letters, and those never show in a list of people.
   */
  async function pageOfIndex(page: IndexPage): Promise<PeoplePageOfIndex> {
    const { index, pk, forward, limit, afterSk, stillMatches } = page;
    const filter = filterExpression(page.filter);
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :people)',
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, ...filter?.names },
        ExpressionAttributeValues: { ':pk': pk, ':people': indexKeys.peoplePrefix, ...filter?.values },
        ...(afterSk !== undefined ? { ExclusiveStartKey: startAfter(index, pk, afterSk) } : {}),
        ScanIndexForward: forward,
        Limit: limit,
      }),
    );
    const found = out.Items ?? [];
    const people = await batchGetPeople(found.map((it) => ({ pk: it.pk as string, sk: it.sk as string })));
    // With a filter, the position is where the Query stopped reading, not the last match.
    const stoppedAt =
      (out.LastEvaluatedKey?.[index.sortKey] as string | undefined) ?? found.at(-1)?.[index.sortKey];
    return {
      people: people.filter(stillMatches),
      lastSk: (stoppedAt as string | undefined) ?? afterSk,
      more: out.LastEvaluatedKey !== undefined,
    };
  }

  return {
    /** The grid and status of a house (the housing module's record), if it exists in this tenant. */
    async house(houseId: string): Promise<{ gridId: string; status: string } | undefined> {
      const out = await db.send(
        new GetCommand({
          TableName: table,
          Key: housingKeys.house(t, houseId),
          ProjectionExpression: 'gridId, #status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      );
      return out.Item ? { gridId: out.Item.gridId as string, status: out.Item.status as string } : undefined;
    },

    async get(personId: string): Promise<(Person & { idHash: string }) | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: keys.person(t, personId), ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      return { ...personFromItem(out.Item), idHash: out.Item.idHash as string };
    },

    async history(personId: string): Promise<HistoryEntry[]> {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.personPartition(t, personId), ':sk': keys.historyPrefix },
      });
      return items.map((it) => ({
        at: it.at as string,
        action: it.action as string,
        actor: it.actor as Actor,
        changedFields: (it.changedFields as string[] | undefined) ?? [],
        ...(it.verifiedOn ? { verifiedOn: it.verifiedOn as string, outcome: it.outcome as string } : {}),
      }));
    },

    /** One page of a grid's people (optionally of one status), in personId order, after `afterSk`. */
    pageOfGrid(page: { gridId: string; status?: string; limit: number; afterSk?: string }) {
      const { gridId, status } = page;
      return pageOfIndex({
        index: status ? registryIndexes.byGridStatus : registryIndexes.byGrid,
        pk: status ? indexKeys.byGridStatus(t, gridId, status) : indexKeys.byGrid(t, gridId),
        forward: true,
        limit: page.limit,
        afterSk: page.afterSk,
        stillMatches: (p) => p.gridId === gridId && (!status || p.status === status),
      });
    },

    /**
     * One page of the tenant's people (optionally of one status, optionally only in some grids),
     * in registration order: one Query of the tenant-wide index, however many grids.
     */
    pageOfTenant(page: { status?: string; gridIds?: readonly string[]; limit: number; afterSk?: string }) {
      const { status, gridIds } = page;
      return pageOfIndex({
        index: registryIndexes.byTenant,
        pk: indexKeys.byTenant(t),
        forward: true,
        limit: page.limit,
        afterSk: page.afterSk,
        stillMatches: (p) => (!status || p.status === status) && (!gridIds || gridIds.includes(p.gridId)),
        filter: { status, gridIds },
      });
    },

    /**
     * One page of a house's current occupants (active people naming it), in personId order:
     * one Query of the sparse byParent index, optionally only in some grids (the key's scope).
     */
    pageOfHouse(page: { houseId: string; gridIds?: readonly string[]; limit: number; afterSk?: string }) {
      const { houseId, gridIds } = page;
      return pageOfIndex({
        index: registryIndexes.byParent,
        pk: indexKeys.occupantsOfHouse(t, houseId),
        forward: true,
        limit: page.limit,
        afterSk: page.afterSk,
        stillMatches: (p) =>
          p.status === 'active' && p.houseId === houseId && (!gridIds || gridIds.includes(p.gridId)),
        filter: { status: 'active', gridIds },
      });
    },

    /** One page of every registration of an ID number, newest first. */
    pageOfIdNumber(page: { idHash: string; limit: number; afterSk?: string }) {
      return pageOfIndex({
        index: registryIndexes.byIdNumber,
        pk: indexKeys.byIdNumber(t, page.idHash),
        forward: false,
        limit: page.limit,
        afterSk: page.afterSk,
        stillMatches: () => true,
      });
    },

    /**
     * One page of the people due for verification (last seen before `before`), oldest first:
     * one Query per due-index shard (a fixed number, however many grids), merged in due-date
     * order, then one BatchGet of the people — optionally only in some grids.
     */
    async pageOfDue(page: { before: string; limit: number; afterSk?: string; gridIds?: readonly string[] }) {
      const index = registryIndexes.due;
      const filter = filterExpression({ gridIds: page.gridIds });
      const shards = await Promise.all(
        Array.from({ length: dueShardCount }, (_, shard) =>
          db.send(
            new QueryCommand({
              TableName: table,
              IndexName: index.name,
              KeyConditionExpression: page.afterSk
                ? '#pk = :pk AND #sk BETWEEN :after AND :before'
                : '#pk = :pk AND #sk < :before',
              ...(filter ? { FilterExpression: filter.expression } : {}),
              ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, ...filter?.names },
              ExpressionAttributeValues: {
                ':pk': indexKeys.due(t, shard),
                ':before': indexKeys.dueBefore(page.before),
                ...(page.afterSk ? { ':after': page.afterSk } : {}),
                ...filter?.values,
              },
              Limit: page.limit + 1,
            }),
          ),
        ),
      );
      const sortKey = (it: Record<string, unknown>) => String(it[index.sortKey]);
      // A shard that stopped early (its Limit counts entries before the grid filter) has unread
      // entries above where it stopped, possibly below what other shards returned: nothing above
      // the lowest such stop is taken yet, so the next page's position never skips an entry.
      const cap = shards
        .flatMap((out) => (out.LastEvaluatedKey ? [sortKey(out.LastEvaluatedKey)] : []))
        .sort()[0];
      const entries = shards
        .flatMap((out) => out.Items ?? [])
        .filter((it) => sortKey(it) !== page.afterSk && (cap === undefined || sortKey(it) <= cap))
        .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      const taken = entries.slice(0, page.limit);
      // Anything left unread in a shard, or read but not taken, means another page.
      const more = entries.length > page.limit || cap !== undefined;
      const people = await batchGetPeople(taken.map((it) => ({ pk: it.pk as string, sk: it.sk as string })));
      const last = taken.length === page.limit || cap === undefined ? taken.at(-1) : undefined;
      return {
        people: people.filter((p) => p.status === 'active'),
        lastSk: last ? sortKey(last) : (cap ?? page.afterSk),
        more,
      };
    },

    /**
     * Active registrations last seen before `day`, from the sparse due index: only active
     * people carry it, so the cost is O(due), not O(all). Yields pages of person ids.
     */
    async *lastSeenBefore(day: string): AsyncGenerator<{ personId: string; lastSeenOn: string }[]> {
      const index = registryIndexes.due;
      for (let shard = 0; shard < dueShardCount; shard++) {
        const pages = queryPages({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: { ':pk': indexKeys.due(t, shard), ':before': indexKeys.dueBefore(day) },
        });
        for await (const page of pages) {
          yield page.map((it) => ({
            personId: personIdOfKey(it.pk as string) as string,
            lastSeenOn: it.lastSeenOn as string,
          }));
        }
      }
    },
  };
}

/** Reads and writes of one tenant's people. */
export type PersonReads = ReturnType<typeof personReads>;
