import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { isTransactionConflict, transactWrite } from '../../../platform/table/query.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { gridKeys } from '../../grids/keys.js';
import { housingKeys } from '../../housing/keys.js';
import { peopleKeys as keys } from '../keys.js';
import type { Person, Transition } from '../rules/person.js';
import { type AccessEntry, accessItem } from './access-log.js';
import { DuplicateIdNumberError, HouseRefusedError, StaleWriteError, UnknownGridError } from './errors.js';
import { historyItem, idGuardItem, personFromItem, personItem } from './items.js';

export interface PersonChange {
  transition: Transition;
  /** The version the transition was computed from: the write is conditional on it. */
  fromVersion: number;
  idHash: string;
  actor: Actor;
  /** Extra attributes of the history event (a verification's day and outcome). */
  extra?: Record<string, unknown>;
  /** A grid the person moves into: it must exist (checked inside the same transaction). */
  movesInto?: string;
  /**
   * A house the person moves into (or stays in while moving grid): it must be open and in the
   * person's grid (checked inside the same transaction).
   */
  movesIntoHouse?: string;
  /** The response will carry raw identifiers: its access entry is written in the same transaction. */
  access?: AccessEntry;
}

/** Houses that take occupants (the housing module's statuses, docs/housing.md). */
const openHouseStatuses = ['discovered', 'registered'] as const;

const conditionFailed = (reason: CancellationReason | undefined): boolean =>
  reason?.Code === 'ConditionalCheckFailed';

/** Why a house check failed, from the house as it was (`ALL_OLD`; none if there is no house). */
function houseRefusal(houseId: string, gridId: string, reason: CancellationReason): HouseRefusedError {
  const house = reason.Item;
  if (house === undefined) return new HouseRefusedError(houseId, { kind: 'unknown' });
  const houseGridId = house.gridId?.S ?? '';
  if (houseGridId !== gridId) return new HouseRefusedError(houseId, { kind: 'other-grid', houseGridId });
  return new HouseRefusedError(houseId, { kind: 'not-open', houseStatus: house.status?.S ?? 'unknown' });
}

/** Card numbers are handed out from blocks reserved per tenant and function instance. */
const cardBlockSize = 50;
const cardBlocks = new Map<string, { next: number; end: number }>();
const reserving = new Map<string, Promise<void>>();

/** Writing people: every method is bound to one tenant and writes one transaction. */
export function personWrites(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  const current = async (personId: string): Promise<Person | undefined> => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: keys.person(t, personId), ConsistentRead: true }),
    );
    return out.Item ? personFromItem(out.Item) : undefined;
  };

  const gridCheck = (gridId: string) => ({
    ConditionCheck: {
      TableName: table,
      Key: gridKeys.grid(t, gridId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  });

  /**
   * The person's house: it exists, takes occupants (discovered or registered) and stands in the
   * person's grid. On failure the house as it was comes back, to say which of the three failed.
   */
  const houseCheck = (houseId: string, gridId: string) => ({
    ConditionCheck: {
      TableName: table,
      Key: housingKeys.house(t, houseId),
      ConditionExpression:
        'attribute_exists(pk) AND #status IN (:discovered, :registered) AND gridId = :gridId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':discovered': openHouseStatuses[0],
        ':registered': openHouseStatuses[1],
        ':gridId': gridId,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  });

  /** Reserve the next block of the tenant's card-number sequence (one update). */
  const reserveBlock = async (): Promise<void> => {
    const out = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.cardSequence(t),
        UpdateExpression: 'ADD #n :block SET entity = :entity',
        ExpressionAttributeNames: { '#n': 'value' },
        ExpressionAttributeValues: { ':block': cardBlockSize, ':entity': 'card-sequence' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const end = Number(out.Attributes?.value ?? cardBlockSize);
    cardBlocks.set(t.tenantId, { next: end - cardBlockSize + 1, end });
  };

  return {
    /**
     * The next card number, unique in the tenant: numbers come from a block of the per-tenant
     * sequence reserved by this function instance (one update per block). Numbers of a block
     * an instance does not use up are skipped: gaps are allowed, reuse never happens.
     */
    async nextCardNumber(): Promise<string> {
      for (;;) {
        const block = cardBlocks.get(t.tenantId);
        if (block && block.next <= block.end) return `C${String(block.next++).padStart(8, '0')}`;
        // One reservation at a time per tenant: concurrent callers wait for it.
        let pending = reserving.get(t.tenantId);
        if (!pending) {
          pending = reserveBlock().finally(() => reserving.delete(t.tenantId));
          reserving.set(t.tenantId, pending);
        }
        await pending;
      }
    },

    /**
     * One transaction: the ID-number guard (only one active registration per ID number), the
     * person, the first history entry, a check that the grid exists and, naming a house, a check
     * that the house takes the person. A duplicate — racing or not — fails the guard's condition,
     * which returns the existing person's id; an unknown grid or a refusing house fails its
     * check. Nothing is read before: the registration is one request.
     */
    async register(registration: {
      transition: Transition;
      idHash: string;
      actor: Actor;
      access?: AccessEntry;
      /** The grid was seen to exist in this request (grids are never deleted): no check needed. */
      gridKnown?: boolean;
    }): Promise<Person> {
      const { transition: tr, idHash, actor, access, gridKnown = false } = registration;
      const { gridId, houseId } = tr.person;
      const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: idGuardItem(t, { idHash, personId: tr.person.personId }),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Put: {
            TableName: table,
            Item: personItem(t, tr.person, idHash),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: table, Item: historyItem(t, { transition: tr, actor }) } },
      ];
      const gridAt = gridKnown ? -1 : items.push(gridCheck(gridId)) - 1;
      const houseAt = houseId === null ? -1 : items.push(houseCheck(houseId, gridId)) - 1;
      if (access) items.push({ Put: { TableName: table, Item: accessItem(t, access) } });
      try {
        await transactWrite({ TransactItems: items });
      } catch (error) {
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        // What the client named wrong first (the grid, then the house), then a duplicate.
        if (gridAt >= 0 && conditionFailed(reasons[gridAt])) throw new UnknownGridError(gridId);
        const houseReason = reasons[houseAt];
        if (houseId !== null && houseReason && conditionFailed(houseReason))
          throw houseRefusal(houseId, gridId, houseReason);
        const guardReason = reasons[0];
        if (guardReason && conditionFailed(guardReason)) {
          const existing = guardReason.Item?.personId?.S ?? (await this.activePersonIdOf(idHash));
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

    /**
     * Apply a transition of an active person, conditional on the version it was computed from:
     * a concurrent change makes this fail (StaleWriteError) instead of being lost. Leaving the
     * active state releases the ID-number guard in the same transaction.
     */
    async apply(change: PersonChange): Promise<Person> {
      const { transition: tr, fromVersion, idHash, actor, extra, movesInto, movesIntoHouse, access } = change;
      const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
        {
          Put: {
            TableName: table,
            Item: personItem(t, tr.person, idHash),
            ConditionExpression: '#version = :from AND #status = :active',
            ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
            ExpressionAttributeValues: { ':from': fromVersion, ':active': 'active' },
          },
        },
        { Put: { TableName: table, Item: historyItem(t, { transition: tr, actor, extra }) } },
      ];
      const gridAt = movesInto === undefined ? -1 : items.push(gridCheck(movesInto)) - 1;
      const houseAt =
        movesIntoHouse === undefined ? -1 : items.push(houseCheck(movesIntoHouse, tr.person.gridId)) - 1;
      if (access) items.push({ Put: { TableName: table, Item: accessItem(t, access) } });
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
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (movesInto !== undefined && conditionFailed(reasons[gridAt]))
          throw new UnknownGridError(movesInto);
        const houseReason = reasons[houseAt];
        if (movesIntoHouse !== undefined && houseReason && conditionFailed(houseReason))
          throw houseRefusal(movesIntoHouse, tr.person.gridId, houseReason);
        const lostRace =
          (error instanceof TransactionCanceledException &&
            error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') ||
          // Still losing races after the retries: as good as a concurrent change.
          isTransactionConflict(error);
        if (lostRace) throw new StaleWriteError(await current(tr.person.personId));
        throw error;
      }
      return tr.person;
    },
  };
}
