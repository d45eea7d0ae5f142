import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../../platform/access/principal.js';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import { registryIndexes } from '../../../platform/table/definition.js';
import { batchGet, isTransactionConflict, queryAll, transactWrite } from '../../../platform/table/query.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import type { SubjectAccessEntry } from '../../people/repository/access-log.js';
import { housingIndexKeys as indexKeys, housingKeys as keys } from '../keys.js';
import type { Landlord, LandlordTransition } from '../rules/landlord.js';
import { accessPut } from './access.js';
import { DuplicateLandlordError, StaleLandlordError } from './errors.js';
import type { HistoryEntry } from './houses.js';
import { landlordEventItem, landlordFromItem, landlordGuardItem, landlordItem } from './items.js';

/** Landlords of one tenant: reads, and writes that are each one transaction. */
export function landlordRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  const getItem = async (landlordId: string) =>
    (
      await db.send(
        new GetCommand({ TableName: table, Key: keys.landlord(t, landlordId), ConsistentRead: true }),
      )
    ).Item;

  return {
    async get(landlordId: string): Promise<(Landlord & { identityHash: string }) | undefined> {
      const item = await getItem(landlordId);
      return item ? { ...landlordFromItem(item), identityHash: item.identityHash as string } : undefined;
    },

    async history(landlordId: string): Promise<HistoryEntry[]> {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.landlordPartition(t, landlordId), ':sk': keys.eventPrefix },
      });
      return items.map((it) => ({
        at: it.at as string,
        action: it.action as string,
        actor: it.actor as Actor,
        changedFields: (it.changedFields as string[] | undefined) ?? [],
      }));
    },

    /**
     * One transaction: the identity guard (one landlord per ID number or credit code: a
     * duplicate, racing or not, fails its condition, which names the existing landlord), the
     * landlord and its first history event (and the access entry of the answer, if it shows the
     * landlord raw).
     */
    async create(creation: {
      transition: LandlordTransition;
      identityHash: string;
      actor: Actor;
      access?: SubjectAccessEntry;
    }): Promise<Landlord> {
      const { transition: tr, identityHash, actor, access } = creation;
      const l = tr.landlord;
      try {
        await transactWrite({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: landlordGuardItem(t, { identityHash, landlordId: l.landlordId }),
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: table,
                Item: landlordItem(t, l, identityHash),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: table, Item: landlordEventItem(t, { transition: tr, actor }) } },
            ...(access ? [accessPut(table, t, access)] : []),
          ],
        });
      } catch (error) {
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const existing =
            reasons[0].Item?.landlordId?.S ??
            ((
              await db.send(
                new GetCommand({
                  TableName: table,
                  Key: keys.landlordGuard(t, identityHash),
                  ConsistentRead: true,
                }),
              )
            ).Item?.landlordId as string | undefined);
          throw new DuplicateLandlordError(
            existing ?? 'unknown',
            l.kind === 'individual' ? 'idNumber' : 'creditCode',
          );
        }
        if (isTransactionConflict(error)) throw new StaleLandlordError(undefined);
        throw error;
      }
      return l;
    },

    /**
     * Apply a change conditional on the version it was computed from (StaleLandlordError
     * otherwise); the answer's access entry, if any, in the same transaction.
     */
    async apply(change: {
      transition: LandlordTransition;
      fromVersion: number;
      identityHash: string;
      actor: Actor;
      access?: SubjectAccessEntry;
    }): Promise<Landlord> {
      const { transition: tr, fromVersion, identityHash, actor, access } = change;
      try {
        await transactWrite({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: landlordItem(t, tr.landlord, identityHash),
                ConditionExpression: '#version = :from',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':from': fromVersion },
              },
            },
            { Put: { TableName: table, Item: landlordEventItem(t, { transition: tr, actor }) } },
            ...(access ? [accessPut(table, t, access)] : []),
          ],
        });
      } catch (error) {
        const lost =
          (error instanceof TransactionCanceledException &&
            error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') ||
          isTransactionConflict(error);
        if (lost) {
          const item = await getItem(tr.landlord.landlordId);
          throw new StaleLandlordError(item ? landlordFromItem(item) : undefined);
        }
        throw error;
      }
      return tr.landlord;
    },

    /** A page of the township's landlords in landlordId (creation) order: the index, then the landlords. */
    async page(page: {
      limit: number;
      afterSk?: string;
    }): Promise<{ landlords: Landlord[]; lastSk: string | undefined; more: boolean }> {
      const index = registryIndexes.byTenant;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: index.name,
          KeyConditionExpression: `#pk = :pk${page.afterSk !== undefined ? ' AND #sk > :after' : ''}`,
          ExpressionAttributeNames: {
            '#pk': index.partitionKey,
            ...(page.afterSk !== undefined ? { '#sk': index.sortKey } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': indexKeys.landlords(t),
            ...(page.afterSk !== undefined ? { ':after': page.afterSk } : {}),
          },
          Limit: page.limit,
        }),
      );
      const found = out.Items ?? [];
      const itemKeys = found.map((it) => ({ pk: it.pk as string, sk: it.sk as string }));
      const byPk = new Map(
        (await batchGet(table, itemKeys, { consistentRead: true })).map((it) => [
          it.pk as string,
          landlordFromItem(it),
        ]),
      );
      return {
        landlords: itemKeys.map((k) => byPk.get(k.pk)).filter((l): l is Landlord => l !== undefined),
        lastSk: (found.at(-1)?.[index.sortKey] as string | undefined) ?? page.afterSk,
        more: out.LastEvaluatedKey !== undefined,
      };
    },
  };
}
