import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../../platform/access/principal.js';
import { documentClient, registryTableName } from '../../../../platform/table/client.js';
import { registryIndexes } from '../../../../platform/table/definition.js';
import { batchGet, queryAll, queryPages } from '../../../../platform/table/query.js';
import type { ItemKey, TenantContext } from '../../../../platform/table/tenant-context.js';
import { housingIndexKeys, housingKeys, letterShardCount } from '../../keys.js';
import type { Letter, LetterStatus } from '../rules/letter.js';
import { type HouseFacts, houseFactsFromItem, letterFromItem } from './items.js';

export interface LetterHistoryEntry {
  at: string;
  action: string;
  actor: Actor;
  changedFields: string[];
}

/** What a list filters on (attributes the indexes project: never personal data). */
export interface LetterFilter {
  kind?: string;
  status?: LetterStatus;
  /** `validUntil` strictly before this day. */
  expiringBefore?: string;
  /** Only letters of these grids (the key's scope); undefined: every grid. */
  gridIds?: readonly string[];
}

export interface LetterPage {
  letters: Letter[];
  /** Where the Query stopped reading (the cursor's position). */
  lastSk: string | undefined;
  more: boolean;
}

function filterExpression(filter: LetterFilter) {
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.kind !== undefined) {
    terms.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = filter.kind;
  }
  if (filter.status !== undefined) {
    terms.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.expiringBefore !== undefined) {
    terms.push('#validUntil < :expiringBefore');
    names['#validUntil'] = 'validUntil';
    values[':expiringBefore'] = filter.expiringBefore;
  }
  if (filter.gridIds !== undefined) {
    const list = filter.gridIds.map((g, i) => {
      values[`:g${i}`] = g;
      return `:g${i}`;
    });
    terms.push(list.length > 0 ? `#gridId IN (${list.join(', ')})` : 'attribute_not_exists(#gridId)');
    names['#gridId'] = 'gridId';
  }
  return terms.length === 0 ? undefined : { expression: terms.join(' AND '), names, values };
}

/** Whether a letter read from the table still matches the filter the index entry matched. */
export const matchesFilter = (l: Letter, f: LetterFilter): boolean =>
  (f.kind === undefined || l.kind === f.kind) &&
  (f.status === undefined || l.status === f.status) &&
  (f.expiringBefore === undefined || l.validUntil < f.expiringBefore) &&
  (f.gridIds === undefined || f.gridIds.includes(l.gridId));

/** Reading letters (and the house facts letters need): every method is bound to one tenant. */
export function letterReads(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  async function batchGetLetters(keys: ItemKey[]): Promise<Letter[]> {
    const byPk = new Map<string, Letter>();
    for (const it of await batchGet(table, keys, { consistentRead: true }))
      byPk.set(it.pk as string, letterFromItem(it));
    return keys.map((k) => byPk.get(k.pk)).filter((l): l is Letter => l !== undefined);
  }

  /** One page of an index partition of letters (the index holds keys and filter attributes only). */
  async function pageOfIndex(page: {
    index: typeof registryIndexes.byTenant | typeof registryIndexes.byParent;
    pk: string;
    filter: LetterFilter;
    limit: number;
    afterSk: string | undefined;
  }): Promise<LetterPage> {
    const { index, pk, limit, afterSk } = page;
    const filter = filterExpression(page.filter);
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: `#pk = :pk${afterSk ? ' AND #sk > :after' : ''}`,
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeNames: {
          '#pk': index.partitionKey,
          ...(afterSk ? { '#sk': index.sortKey } : {}),
          ...filter?.names,
        },
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(afterSk ? { ':after': afterSk } : {}),
          ...filter?.values,
        },
        Limit: limit,
      }),
    );
    const found = out.Items ?? [];
    const letters = await batchGetLetters(found.map((it) => ({ pk: it.pk as string, sk: it.sk as string })));
    // With a filter, the position is where the Query stopped reading, not the last match.
    const stoppedAt =
      (out.LastEvaluatedKey?.[index.sortKey] as string | undefined) ??
      (found.at(-1)?.[index.sortKey] as string | undefined);
    return {
      letters: letters.filter((l) => matchesFilter(l, page.filter)),
      lastSk: stoppedAt ?? afterSk,
      more: out.LastEvaluatedKey !== undefined,
    };
  }

  return {
    async get(letterId: string): Promise<Letter | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: housingKeys.letter(t, letterId), ConsistentRead: true }),
      );
      return out.Item ? letterFromItem(out.Item) : undefined;
    },

    /** The house a letter names (one GetItem): its grid, status, version and lapse mark. */
    async house(houseId: string): Promise<HouseFacts | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: housingKeys.house(t, houseId), ConsistentRead: true }),
      );
      return out.Item?.houseId ? houseFactsFromItem(out.Item) : undefined;
    },

    /** The facts of several houses (a batch reads each house once: one BatchGet per 100). */
    async houses(houseIds: readonly string[]): Promise<Map<string, HouseFacts>> {
      const unique = [...new Set(houseIds)];
      const items = await batchGet(
        table,
        unique.map((h) => housingKeys.house(t, h)),
        { consistentRead: true },
      );
      return new Map(
        items.filter((it) => it.houseId).map((it) => [it.houseId as string, houseFactsFromItem(it)]),
      );
    },

    async history(letterId: string): Promise<LetterHistoryEntry[]> {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: {
          ':pk': housingKeys.letterPartition(t, letterId),
          ':sk': housingKeys.eventPrefix,
        },
      });
      return items.map((it) => ({
        at: it.at as string,
        action: it.action as string,
        actor: it.actor as Actor,
        changedFields: (it.changedFields as string[] | undefined) ?? [],
      }));
    },

    /** One page of the tenant's letters in letterId order (one Query of byTenant, one BatchGet). */
    pageOfTenant(page: { filter: LetterFilter; limit: number; afterSk?: string }) {
      return pageOfIndex({
        index: registryIndexes.byTenant,
        pk: housingIndexKeys.letters(t),
        filter: page.filter,
        limit: page.limit,
        afterSk: page.afterSk,
      });
    },

    /** One page of a house's letters in letterId order (one Query of byParent, one BatchGet). */
    pageOfHouse(page: { houseId: string; filter: LetterFilter; limit: number; afterSk?: string }) {
      return pageOfIndex({
        index: registryIndexes.byParent,
        pk: housingIndexKeys.lettersOfHouse(t, page.houseId),
        filter: page.filter,
        limit: page.limit,
        afterSk: page.afterSk,
      });
    },

    /**
     * The house's letters as its index entry shows them (kind, status, validity; projected by
     * byParent): what the job needs to tell whether another security letter is valid.
     */
    async lettersOfHouse(
      houseId: string,
    ): Promise<Pick<Letter, 'letterId' | 'kind' | 'status' | 'validFrom' | 'validUntil'>[]> {
      const index = registryIndexes.byParent;
      const items = await queryAll({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': housingIndexKeys.lettersOfHouse(t, houseId) },
      });
      return items.map((it) => ({
        letterId: it.letterId as string,
        kind: it.kind as string,
        status: it.status as LetterStatus,
        validFrom: it.validFrom as string,
        validUntil: it.validUntil as string,
      }));
    },

    /**
     * One page of the flagged letters (the lapsing partitions), soonest `validUntil` first: one
     * Query per shard (a fixed number, however many grids), merged in due order, then one
     * BatchGet — optionally only in some grids.
     */
    async pageOfLapsing(page: {
      limit: number;
      afterSk?: string;
      gridIds?: readonly string[];
    }): Promise<LetterPage> {
      const index = registryIndexes.due;
      const filter = filterExpression({ gridIds: page.gridIds });
      const shards = await Promise.all(
        Array.from({ length: letterShardCount }, (_, shard) =>
          db.send(
            new QueryCommand({
              TableName: table,
              IndexName: index.name,
              KeyConditionExpression: `#pk = :pk${page.afterSk ? ' AND #sk > :after' : ''}`,
              ...(filter ? { FilterExpression: filter.expression } : {}),
              ExpressionAttributeNames: {
                '#pk': index.partitionKey,
                ...(page.afterSk ? { '#sk': index.sortKey } : {}),
                ...filter?.names,
              },
              ExpressionAttributeValues: {
                ':pk': housingIndexKeys.lettersLapsing(t, shard),
                ...(page.afterSk ? { ':after': page.afterSk } : {}),
                ...filter?.values,
              },
              Limit: page.limit + 1,
            }),
          ),
        ),
      );
      const sortKey = (it: Record<string, unknown>) => String(it[index.sortKey]);
      // A shard that stopped early (its Limit, counted before the filter) has unread entries
      // above where it stopped: nothing above the lowest such stop is taken yet, so no entry of
      // any shard is ever skipped by the next page's position.
      const stops = shards.flatMap((out) => (out.LastEvaluatedKey ? [sortKey(out.LastEvaluatedKey)] : []));
      const cap = stops.sort()[0];
      const entries = shards
        .flatMap((out) => out.Items ?? [])
        .filter((it) => cap === undefined || sortKey(it) <= cap)
        .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      const taken = entries.slice(0, page.limit);
      // Anything left unread in a shard, or read but not taken, means another page.
      const more = entries.length > page.limit || cap !== undefined;
      const lastSk = taken.length === page.limit || cap === undefined ? taken.at(-1) : undefined;
      const letters = await batchGetLetters(
        taken.map((it) => ({ pk: it.pk as string, sk: it.sk as string })),
      );
      return {
        letters: letters.filter(
          (l) =>
            l.status === 'valid' &&
            l.expiringFlaggedOn !== null &&
            (page.gridIds === undefined || page.gridIds.includes(l.gridId)),
        ),
        lastSk: lastSk ? sortKey(lastSk) : (cap ?? page.afterSk),
        more,
      };
    },

    /**
     * Due-index entries of one kind (`expiring`: valid, unflagged; `lapsing`: flagged) valid
     * until strictly before `before`: only valid letters carry them, so the cost is O(due).
     * Yields pages of item keys.
     */
    async *dueBefore(which: 'expiring' | 'lapsing', before: string): AsyncGenerator<ItemKey[]> {
      const index = registryIndexes.due;
      for (let shard = 0; shard < letterShardCount; shard++) {
        const pk =
          which === 'expiring'
            ? housingIndexKeys.lettersExpiring(t, shard)
            : housingIndexKeys.lettersLapsing(t, shard);
        const pages = queryPages({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: { ':pk': pk, ':before': housingIndexKeys.dueBefore(before) },
        });
        for await (const page of pages)
          yield page.map((it) => ({ pk: it.pk as string, sk: it.sk as string }));
      }
    },

    /** A letter by its item key (a due-index entry names it so). */
    async getByKey(key: ItemKey): Promise<Letter | undefined> {
      const out = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      return out.Item?.entity === 'letter' ? letterFromItem(out.Item) : undefined;
    },
  };
}

export type LetterReads = ReturnType<typeof letterReads>;
