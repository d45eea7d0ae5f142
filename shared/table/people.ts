import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { lastSeenOn, type Person, personFields, type Transition } from '../domain/person.js';
import { newId } from '../ids.js';
import { documentClient, registryTableName } from './client.js';
import { registryIndexes } from './definition.js';
import {
  dueShardCount,
  type ItemKey,
  indexKeys,
  keys,
  personIdOfKey,
  personIndexKeys,
  type TenantContext,
  verificationIndexKeys,
} from './keys.js';
import { batchGet, isTransactionConflict, queryAll, queryPages, transactWrite } from './query.js';

export interface Actor {
  keyId: string;
  name: string;
}

export interface HistoryEntry {
  at: string;
  action: string;
  actor: Actor;
  changedFields: string[];
  verifiedOn?: string;
  outcome?: string;
}

/** Thrown when a write lost a race: the person changed (version) or is no longer active. */
export class StaleWriteError extends Error {
  constructor(readonly current: Person | undefined) {
    super('the registration changed concurrently');
  }
}

export class DuplicateIdNumberError extends Error {
  constructor(readonly existingPersonId: string) {
    super('an active registration with this ID number exists');
  }
}

export function personFromItem(item: Record<string, unknown>): Person {
  const p = {} as Record<string, unknown>;
  for (const f of personFields) p[f] = item[f] ?? null;
  return p as unknown as Person;
}

/**
 * Persons and their history. Every method is bound to one tenant: no key can be built for
 * another tenant's items from here.
 */
export function personRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  const personItem = (p: Person, idHash: string) => ({
    ...keys.person(t, p.personId),
    ...p,
    entity: 'person',
    tenantId: t.tenantId,
    idHash,
    lastSeenOn: lastSeenOn(p),
    ...personIndexKeys(t, {
      personId: p.personId,
      gridId: p.gridId,
      status: p.status,
      idHash,
      lastSeenOn: lastSeenOn(p),
    }),
  });

  const historyPut = (tr: Transition, actor: Actor, extra: Record<string, unknown> = {}) => {
    const at = tr.person.updatedAt;
    const eventId = newId.event();
    return {
      Put: {
        TableName: table,
        Item: {
          ...keys.historyEvent(t, tr.person.personId, at, eventId),
          ...(tr.action === 'verified' ? verificationIndexKeys(t, tr.person.gridId, eventId) : {}),
          entity: 'history',
          tenantId: t.tenantId,
          personId: tr.person.personId,
          gridId: tr.person.gridId,
          at,
          action: tr.action,
          actor,
          changedFields: tr.changedFields,
          version: tr.person.version,
          ...extra,
        },
      },
    };
  };

  return {
    /** The next card number: a per-tenant sequence, so card numbers are unique in the tenant. */
    async nextCardNumber(): Promise<string> {
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.cardSequence(t),
          UpdateExpression: 'ADD #n :one',
          ExpressionAttributeNames: { '#n': 'value' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return `C${String(out.Attributes?.value ?? 0).padStart(8, '0')}`;
    },

    /**
     * One transaction: the person, the ID-number guard (only one active registration per ID
     * number) and the first history entry. A concurrent duplicate fails the guard's condition.
     */
    async register(tr: Transition, idHash: string, actor: Actor): Promise<Person> {
      const guard = keys.idNumberGuard(t, idHash);
      try {
        await transactWrite({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: { ...guard, entity: 'id-guard', tenantId: t.tenantId, personId: tr.person.personId },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: table,
                Item: personItem(tr.person, idHash),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            historyPut(tr, actor),
          ],
        });
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        ) {
          const existing =
            error.CancellationReasons[0].Item?.personId?.S ?? (await this.activePersonIdOf(idHash));
          throw new DuplicateIdNumberError(existing ?? 'unknown');
        }
        if (isTransactionConflict(error)) throw new StaleWriteError(undefined);
        throw error;
      }
      return tr.person;
    },

    async activePersonIdOf(idHash: string): Promise<string | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: keys.idNumberGuard(t, idHash), ConsistentRead: true }),
      );
      return out.Item?.personId as string | undefined;
    },

    async get(personId: string): Promise<(Person & { idHash: string }) | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: keys.person(t, personId), ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      return { ...personFromItem(out.Item), idHash: out.Item.idHash as string };
    },

    /**
     * Apply a transition of an active person, conditional on the version it was computed from:
     * a concurrent change makes this fail (StaleWriteError) instead of being lost. Leaving the
     * active state releases the ID-number guard in the same transaction.
     */
    async apply(
      tr: Transition,
      fromVersion: number,
      idHash: string,
      actor: Actor,
      extra: Record<string, unknown> = {},
    ): Promise<Person> {
      const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: personItem(tr.person, idHash),
            ConditionExpression: '#version = :from AND #status = :active',
            ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
            ExpressionAttributeValues: { ':from': fromVersion, ':active': 'active' },
          },
        },
        historyPut(tr, actor, extra),
      ];
      if (tr.person.status !== 'active') {
        items.push({
          Delete: {
            TableName: table,
            Key: keys.idNumberGuard(t, idHash),
            ConditionExpression: 'attribute_not_exists(pk) OR personId = :p',
            ExpressionAttributeValues: { ':p': tr.person.personId },
          },
        });
      }
      try {
        await transactWrite({ TransactItems: items });
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        ) {
          throw new StaleWriteError(await this.get(tr.person.personId));
        }
        // Still losing races after the retries: as good as a concurrent change.
        if (isTransactionConflict(error)) throw new StaleWriteError(await this.get(tr.person.personId));
        throw error;
      }
      return tr.person;
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
    async pageOfGrid(
      gridId: string,
      status: string | undefined,
      limit: number,
      afterSk: string | undefined,
    ): Promise<{ people: Person[]; lastSk: string | undefined; more: boolean }> {
      const index = status ? registryIndexes.byGridStatus : registryIndexes.byGrid;
      const pk = status ? indexKeys.byGridStatus(t, gridId, status) : indexKeys.byGrid(t, gridId);
      return pageOfIndex(
        index.name,
        index.partitionKey,
        pk,
        true,
        limit,
        afterSk,
        (p) => p.gridId === gridId && (!status || p.status === status),
      );
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

    /** One page of every registration of an ID number, newest first. */
    async pageOfIdNumber(idHash: string, limit: number, afterSk: string | undefined) {
      const index = registryIndexes.byIdNumber;
      return pageOfIndex(
        index.name,
        index.partitionKey,
        indexKeys.byIdNumber(t, idHash),
        false,
        limit,
        afterSk,
        () => true,
      );
    },
  };

  /**
   * Indexes hold keys only (no personal data is projected); a page is read from the index, then
   * the people themselves with a strongly consistent BatchGet. Someone who left the index's
   * partition between the two reads (moved grid, changed status) is dropped, not duplicated.
   */
  async function pageOfIndex(
    indexName: string,
    indexPkAttr: string,
    pk: string,
    forward: boolean,
    limit: number,
    afterSk: string | undefined,
    stillMatches: (p: Person) => boolean,
  ): Promise<{ people: Person[]; lastSk: string | undefined; more: boolean }> {
    const index = Object.values(registryIndexes).find((i) => i.name === indexName);
    if (!index) throw new Error(`no index ${indexName}`);
    // Forward pages start above `PERSON#` so a grid's verification events (`EVENT#…`) never show.
    const after = afterSk ?? (forward ? indexKeys.gridPeopleStart : undefined);
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: indexName,
        KeyConditionExpression: `#pk = :pk${after ? ` AND #sk ${forward ? '>' : '<'} :after` : ''}`,
        ExpressionAttributeNames: { '#pk': indexPkAttr, ...(after ? { '#sk': index.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': pk, ...(after ? { ':after': after } : {}) },
        ScanIndexForward: forward,
        Limit: limit,
      }),
    );
    const found = out.Items ?? [];
    const people = await batchGetPeople(found.map((it) => ({ pk: it.pk as string, sk: it.sk as string })));
    const last = found.at(-1);
    return {
      people: people.filter(stillMatches),
      lastSk: last ? (last[index.sortKey] as string) : afterSk,
      more: out.LastEvaluatedKey !== undefined,
    };
  }

  async function batchGetPeople(itemKeys: ItemKey[]): Promise<Person[]> {
    const byKey = new Map<string, Person>();
    for (const it of await batchGet(table, itemKeys, true)) byKey.set(it.pk as string, personFromItem(it));
    return itemKeys.map((k) => byKey.get(k.pk)).filter((p): p is Person => p !== undefined);
  }
}
