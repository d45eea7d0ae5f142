import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { isTransactionConflict, transactWrite } from '../../../platform/table/query.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { peopleKeys as keys } from '../keys.js';
import type { Person, Transition } from '../rules/person.js';
import { DuplicateIdNumberError, StaleWriteError } from './errors.js';
import { historyItem, personFromItem, personItem } from './items.js';

export interface PersonChange {
  transition: Transition;
  /** The version the transition was computed from: the write is conditional on it. */
  fromVersion: number;
  idHash: string;
  actor: Actor;
  /** Extra attributes of the history event (a verification's day and outcome). */
  extra?: Record<string, unknown>;
}

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

  return {
    /** The next card number: a per-tenant sequence, so card numbers are unique in the tenant. */
    async nextCardNumber(): Promise<string> {
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.cardSequence(t),
          UpdateExpression: 'ADD #n :one SET entity = :entity',
          ExpressionAttributeNames: { '#n': 'value' },
          ExpressionAttributeValues: { ':one': 1, ':entity': 'card-sequence' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return `C${String(out.Attributes?.value ?? 0).padStart(8, '0')}`;
    },

    /**
     * One transaction: the person, the ID-number guard (only one active registration per ID
     * number) and the first history entry. A concurrent duplicate fails the guard's condition.
     */
    async register(registration: { transition: Transition; idHash: string; actor: Actor }): Promise<Person> {
      const { transition: tr, idHash, actor } = registration;
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
                Item: personItem(t, tr.person, idHash),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: table, Item: historyItem(t, { transition: tr, actor }) } },
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

    /**
     * Apply a transition of an active person, conditional on the version it was computed from:
     * a concurrent change makes this fail (StaleWriteError) instead of being lost. Leaving the
     * active state releases the ID-number guard in the same transaction.
     */
    async apply(change: PersonChange): Promise<Person> {
      const { transition: tr, fromVersion, idHash, actor, extra } = change;
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
