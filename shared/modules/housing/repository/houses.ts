import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { type IndexDefinition, registryIndexes } from '../../../platform/table/definition.js';
import { batchGet, isTransactionConflict, queryAll, transactWrite } from '../../../platform/table/query.js';
import type { ItemKey, TenantContext } from '../../../platform/table/tenant-context.js';
import { gridKeys } from '../../grids/keys.js';
import type { SubjectAccessEntry } from '../../people/repository/access-log.js';
import { housingIndexKeys as indexKeys, housingKeys as keys } from '../keys.js';
import { type House, type HouseTransition, plaqueHash } from '../rules/house.js';
import { accessPut } from './access.js';
import { DuplicatePlaqueError, StaleHouseError, UnknownGridError, UnknownLandlordError } from './errors.js';
import { houseEventDays, houseEventItem, houseFromItem, houseItem, plaqueGuardItem } from './items.js';

export interface HistoryEntry {
  at: string;
  action: string;
  actor: Actor;
  changedFields: string[];
  [day: string]: unknown;
}

/** Attributes of a history event shown besides the common ones (never free text). */
const eventDayFields = [
  'registeredOn',
  'discoveredOn',
  'bannedOn',
  'closedOn',
  'inspectedOn',
  'liftedOn',
  'hazard',
];

export interface HousePage {
  houses: House[];
  /** Where the index read stopped (the next page starts after it). */
  lastSk: string | undefined;
  more: boolean;
}

/** Only index entries whose projected attributes match (a filter in the same Query). */
export interface HouseFilter {
  status?: string;
  gridIds?: readonly string[];
  landlordId?: string;
}

function filterExpression(filter: HouseFilter | undefined) {
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter?.status !== undefined) {
    terms.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter?.landlordId !== undefined) {
    terms.push('#landlordId = :landlordId');
    names['#landlordId'] = 'landlordId';
    values[':landlordId'] = filter.landlordId;
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

const failed = (r: CancellationReason | undefined) => r?.Code === 'ConditionalCheckFailed';

/** Houses of one tenant: reads, and writes that are each one transaction. */
export function houseRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  const get = async (houseId: string): Promise<House | undefined> => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: keys.house(t, houseId), ConsistentRead: true }),
    );
    return out.Item ? houseFromItem(out.Item) : undefined;
  };

  async function batchGetHouses(itemKeys: readonly ItemKey[]): Promise<House[]> {
    const byPk = new Map<string, House>();
    for (const it of await batchGet(table, itemKeys, { consistentRead: true }))
      byPk.set(it.pk as string, houseFromItem(it));
    return itemKeys.map((k) => byPk.get(k.pk)).filter((h): h is House => h !== undefined);
  }

  /**
   * One page of an index partition's houses, in houseId order after `afterSk`: the index
   * entries (keys and a few projected attributes), then the houses themselves with one strongly
   * consistent BatchGet. A house that left the partition in between is dropped, not duplicated.
   */
  /** One Query of an index partition's house entries after `afterSk` (at most `limit` read). */
  function queryHouseKeys(query: {
    index: IndexDefinition;
    pk: string;
    limit: number;
    afterSk?: string | undefined;
    filter?: HouseFilter | undefined;
  }) {
    const { index, pk, limit, afterSk } = query;
    const filter = filterExpression(query.filter);
    const prefix = indexKeys.housePrefix;
    return db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index.name,
        // Houses share some partitions with other records (a grid's people, letters, events):
        // the range keeps to house keys. `after + ' '` sorts above `after` and below every
        // later house key (ids have one length, of characters above the space).
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, ...filter?.names },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':from': afterSk !== undefined ? `${afterSk} ` : prefix,
          ':to': `${prefix}~`,
          ...filter?.values,
        },
        Limit: limit,
      }),
    );
  }

  async function pageOfIndex(page: {
    index: IndexDefinition;
    pk: string;
    limit: number;
    afterSk?: string;
    filter?: HouseFilter;
    stillMatches: (h: House) => boolean;
  }): Promise<HousePage> {
    const { index, afterSk } = page;
    const out = await queryHouseKeys(page);
    const found = out.Items ?? [];
    const houses = await batchGetHouses(found.map((it) => ({ pk: it.pk as string, sk: it.sk as string })));
    const stoppedAt =
      (out.LastEvaluatedKey?.[index.sortKey] as string | undefined) ??
      (found.at(-1)?.[index.sortKey] as string | undefined);
    return {
      houses: houses.filter(page.stillMatches),
      lastSk: stoppedAt ?? afterSk,
      more: out.LastEvaluatedKey !== undefined,
    };
  }

  /**
   * Up to `max` index entries of a partition's houses after `afterSk` — ids and grids only, no
   * house read (one Query): for a worklist that filters on something the index does not hold
   * (occupancy, from the counters) before it reads the few houses it shows.
   */
  async function entriesOfIndex(page: {
    index: IndexDefinition;
    pk: string;
    max: number;
    afterSk?: string;
    filter?: HouseFilter;
    /** The grid of every entry, when the partition is one grid's (byGridStatus projects keys only). */
    gridId?: string;
  }): Promise<{
    entries: { houseId: string; gridId: string; sk: string }[];
    more: boolean;
    lastSk?: string;
  }> {
    const { index, max } = page;
    const out = await queryHouseKeys({ ...page, limit: max });
    const entries = (out.Items ?? []).flatMap((it) => {
      const sk = it[index.sortKey] as string;
      const gridId = page.gridId ?? (it.gridId as string | undefined);
      return gridId ? [{ houseId: sk.slice(indexKeys.housePrefix.length), gridId, sk }] : [];
    });
    const lastSk = (out.LastEvaluatedKey?.[index.sortKey] as string | undefined) ?? entries.at(-1)?.sk;
    return { entries, more: out.LastEvaluatedKey !== undefined, ...(lastSk ? { lastSk } : {}) };
  }

  /** A refused transaction → the domain error it means (reasons by item index). */
  function refusal(
    error: unknown,
    at: { guard?: number; grid?: number; landlord?: number; house?: number },
    h: House,
  ): Error | undefined {
    const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
    const at_ = (i: number | undefined) => (i === undefined ? undefined : reasons[i]);
    if (failed(at_(at.grid))) return new UnknownGridError(h.gridId);
    if (failed(at_(at.landlord))) return new UnknownLandlordError(h.landlordId ?? '');
    const guard = at_(at.guard);
    if (failed(guard)) return new DuplicatePlaqueError(guard?.Item?.houseId?.S ?? 'unknown');
    return undefined;
  }

  const gridCheck = (gridId: string) => ({
    ConditionCheck: {
      TableName: table,
      Key: gridKeys.grid(t, gridId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  });
  const landlordCheck = (landlordId: string) => ({
    ConditionCheck: {
      TableName: table,
      Key: keys.landlord(t, landlordId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  });

  return {
    get,

    async history(houseId: string): Promise<HistoryEntry[]> {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.housePartition(t, houseId), ':sk': keys.eventPrefix },
      });
      return items.map((it) => ({
        at: it.at as string,
        action: it.action as string,
        actor: it.actor as Actor,
        changedFields: (it.changedFields as string[] | undefined) ?? [],
        ...Object.fromEntries(
          eventDayFields.filter((f) => it[f] !== undefined && it[f] !== null).map((f) => [f, it[f]]),
        ),
      }));
    },

    /**
     * One transaction: the plaque guard (one house per plaque: a duplicate, racing or not, fails
     * its condition, which names the existing house), the house, its first history event, and
     * checks that the grid and the landlord exist. Nothing is read before.
     */
    async create(creation: {
      transition: HouseTransition;
      actor: Actor;
      gridKnown?: boolean;
      /** The answer shows the house's contacts' phones raw: its access entry, in the transaction. */
      access?: SubjectAccessEntry;
    }): Promise<House> {
      const { transition: tr, actor, gridKnown = false, access } = creation;
      const h = tr.house;
      const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: plaqueGuardItem(t, h),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { Put: { TableName: table, Item: houseItem(t, h), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: table,
            Item: houseEventItem(t, {
              house: h,
              action: tr.action,
              actor,
              changedFields: [],
              extra: houseEventDays(h, tr.action),
            }),
          },
        },
      ];
      const grid = gridKnown ? undefined : items.push(gridCheck(h.gridId)) - 1;
      const landlord = h.landlordId === null ? undefined : items.push(landlordCheck(h.landlordId)) - 1;
      if (access) items.push(accessPut(table, t, access));
      try {
        await transactWrite({ TransactItems: items });
      } catch (error) {
        const refused = refusal(error, { guard: 0, grid, landlord }, h);
        if (refused) throw refused;
        if (isTransactionConflict(error)) throw new StaleHouseError(undefined);
        throw error;
      }
      return h;
    },

    /**
     * Apply a transition, conditional on the version it was computed from (a concurrent change
     * fails it: StaleHouseError with the house as it is now). A new plaque swaps the guards and
     * a newly named landlord is checked, in the same transaction.
     */
    async apply(change: {
      transition: HouseTransition;
      fromVersion: number;
      previous: House;
      actor: Actor;
      extra?: Record<string, unknown>;
      /** The answer shows the house's contacts' phones raw: its access entry, in the transaction. */
      access?: SubjectAccessEntry;
    }): Promise<House> {
      const { transition: tr, fromVersion, previous, actor, extra = {}, access } = change;
      const h = tr.house;
      const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: houseItem(t, h),
            ConditionExpression: '#version = :from',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':from': fromVersion },
          },
        },
        {
          Put: {
            TableName: table,
            Item: houseEventItem(t, {
              house: h,
              action: tr.action,
              actor,
              changedFields: tr.changedFields,
              extra: { ...houseEventDays(h, tr.action), ...extra },
            }),
          },
        },
      ];
      let guard: number | undefined;
      if (plaqueHash(h.plaque) !== plaqueHash(previous.plaque)) {
        items.push({
          Delete: {
            TableName: table,
            Key: keys.plaqueGuard(t, plaqueHash(previous.plaque)),
            ConditionExpression: 'attribute_not_exists(pk) OR houseId = :h',
            ExpressionAttributeValues: { ':h': h.houseId },
          },
        });
        guard =
          items.push({
            Put: {
              TableName: table,
              Item: plaqueGuardItem(t, h),
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          }) - 1;
      }
      const landlord =
        h.landlordId !== null && h.landlordId !== previous.landlordId
          ? items.push(landlordCheck(h.landlordId)) - 1
          : undefined;
      if (access) items.push(accessPut(table, t, access));
      try {
        await transactWrite({ TransactItems: items });
      } catch (error) {
        const refused = refusal(error, { guard, landlord }, h);
        if (refused) throw refused;
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (failed(reasons[0]) || isTransactionConflict(error))
          throw new StaleHouseError(await get(h.houseId));
        throw error;
      }
      return h;
    },

    /** The houses of these keys' partitions, in the order asked (strongly consistent). */
    housesOf: (houseIds: readonly string[]) => batchGetHouses(houseIds.map((id) => keys.house(t, id))),

    /** A page of a grid's houses (of one status, if given), in houseId order. */
    pageOfGrid(page: {
      gridId: string;
      status?: string;
      landlordId?: string;
      limit: number;
      afterSk?: string;
    }) {
      const { gridId, status, landlordId } = page;
      return pageOfIndex({
        index: status ? registryIndexes.byGridStatus : registryIndexes.byGrid,
        pk: status ? indexKeys.gridHouseStatus(t, gridId, status) : indexKeys.grid(t, gridId),
        limit: page.limit,
        ...(page.afterSk !== undefined ? { afterSk: page.afterSk } : {}),
        // byGridStatus projects keys only: the landlord is checked on the houses read
        ...(landlordId !== undefined && !status ? { filter: { landlordId } } : {}),
        stillMatches: (h) =>
          h.gridId === gridId &&
          (!status || h.status === status) &&
          (!landlordId || h.landlordId === landlordId),
      });
    },

    /**
     * Up to `max` banned houses' ids and grids (one grid's, or the tenant's in some grids), in
     * houseId order after `afterSk` — one Query, no house read.
     */
    bannedEntries(page: { gridId?: string; gridIds?: readonly string[]; max: number; afterSk?: string }) {
      const { gridId, gridIds } = page;
      const at = page.afterSk !== undefined ? { afterSk: page.afterSk } : {};
      return gridId !== undefined
        ? entriesOfIndex({
            index: registryIndexes.byGridStatus,
            pk: indexKeys.gridHouseStatus(t, gridId, 'banned'),
            max: page.max,
            gridId,
            ...at,
          })
        : entriesOfIndex({
            index: registryIndexes.byTenant,
            pk: indexKeys.houses(t),
            max: page.max,
            filter: { status: 'banned', ...(gridIds !== undefined ? { gridIds } : {}) },
            ...at,
          });
    },

    /** A page of the tenant's houses (of one status, only in some grids, of one landlord, if given). */
    pageOfTenant(page: {
      status?: string;
      gridIds?: readonly string[];
      landlordId?: string;
      limit: number;
      afterSk?: string;
    }) {
      const { status, gridIds, landlordId } = page;
      return pageOfIndex({
        index: registryIndexes.byTenant,
        pk: indexKeys.houses(t),
        limit: page.limit,
        ...(page.afterSk !== undefined ? { afterSk: page.afterSk } : {}),
        filter: {
          ...(status !== undefined ? { status } : {}),
          ...(gridIds !== undefined ? { gridIds } : {}),
          ...(landlordId !== undefined ? { landlordId } : {}),
        },
        stillMatches: (h) =>
          (!status || h.status === status) &&
          (!gridIds || gridIds.includes(h.gridId)) &&
          (!landlordId || h.landlordId === landlordId),
      });
    },

    /** A page of one landlord's houses (byParent), optionally of one status and only in some grids. */
    pageOfLandlord(page: {
      landlordId: string;
      status?: string;
      gridIds?: readonly string[];
      limit: number;
      afterSk?: string;
    }) {
      const { landlordId, status, gridIds } = page;
      return pageOfIndex({
        index: registryIndexes.byParent,
        pk: indexKeys.housesOfLandlord(t, landlordId),
        limit: page.limit,
        ...(page.afterSk !== undefined ? { afterSk: page.afterSk } : {}),
        filter: {
          ...(status !== undefined ? { status } : {}),
          ...(gridIds !== undefined ? { gridIds } : {}),
        },
        stillMatches: (h) =>
          h.landlordId === landlordId &&
          (!status || h.status === status) &&
          (!gridIds || gridIds.includes(h.gridId)),
      });
    },

    /**
     * A page of the houses whose security responsibility letter lapsed (the sparse due
     * partition the letters job fills), longest lapsed first, only in some grids if given.
     */
    async pageOfLapsed(page: {
      gridIds?: readonly string[];
      limit: number;
      afterSk?: string;
    }): Promise<HousePage> {
      const index = registryIndexes.due;
      const filter = filterExpression(page.gridIds !== undefined ? { gridIds: page.gridIds } : undefined);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: `#pk = :pk${page.afterSk !== undefined ? ' AND #sk > :after' : ''}`,
          ...(filter ? { FilterExpression: filter.expression } : {}),
          ExpressionAttributeNames: {
            '#pk': index.partitionKey,
            ...(page.afterSk !== undefined ? { '#sk': index.sortKey } : {}),
            ...filter?.names,
          },
          ExpressionAttributeValues: {
            ':pk': indexKeys.housesLapsed(t),
            ...(page.afterSk !== undefined ? { ':after': page.afterSk } : {}),
            ...filter?.values,
          },
          Limit: page.limit,
        }),
      );
      const found = out.Items ?? [];
      const houses = await batchGetHouses(found.map((it) => ({ pk: it.pk as string, sk: it.sk as string })));
      const stoppedAt =
        (out.LastEvaluatedKey?.[index.sortKey] as string | undefined) ??
        (found.at(-1)?.[index.sortKey] as string | undefined);
      return {
        houses: houses.filter(
          (h) => h.securityLetterLapsedOn !== null && (!page.gridIds || page.gridIds.includes(h.gridId)),
        ),
        lastSk: stoppedAt ?? page.afterSk,
        more: out.LastEvaluatedKey !== undefined,
      };
    },

    /**
     * How many people live in the house now (its byParent occupants partition: active people
     * naming it), counting at most `upTo`: `atLeast` when there may be more.
     */
    async occupantCount(houseId: string, upTo: number): Promise<{ count: number; atLeast: boolean }> {
      const index = registryIndexes.byParent;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: '#status = :active',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#status': 'status' },
          ExpressionAttributeValues: { ':pk': indexKeys.occupantsOfHouse(t, houseId), ':active': 'active' },
          Select: 'COUNT',
          Limit: upTo,
        }),
      );
      return { count: out.Count ?? 0, atLeast: out.LastEvaluatedKey !== undefined };
    },
  };
}

export type HouseRepository = ReturnType<typeof houseRepository>;
