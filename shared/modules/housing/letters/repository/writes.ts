import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Actor } from '../../../../platform/access/principal.js';
import { documentClient, registryTableName } from '../../../../platform/table/client.js';
import { isTransactionConflict, transactWrite } from '../../../../platform/table/query.js';
import type { TenantContext } from '../../../../platform/table/tenant-context.js';
import { peopleKeys } from '../../../people/keys.js';
import { housingIndexKeys, housingKeys } from '../../keys.js';
import { type LetterTransition, openHouseStatuses } from '../rules/letter.js';
import {
  HouseNotOpenError,
  StaleHouseError,
  StaleLetterWriteError,
  UnknownHouseError,
  UnknownPartyError,
} from './errors.js';
import {
  type HouseFacts,
  houseFactsFromItem,
  houseMarkEventItem,
  letterEventItem,
  letterFromItem,
  letterItem,
} from './items.js';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** A change to the letter's house written with the letter, conditional on the house's version read. */
export interface HouseMark {
  house: HouseFacts;
  /** `lapsed`: its last security letter expired (today); `renewed`: a new one clears the mark. */
  mark: { kind: 'lapsed'; on: string } | { kind: 'renewed' };
}

const reasonsOf = (error: unknown) =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];

const failed = (error: unknown, index: number) => reasonsOf(error)[index]?.Code === 'ConditionalCheckFailed';

/** Writing letters: every method is bound to one tenant and writes one transaction. */
export function letterWrites(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();

  const currentLetter = async (letterId: string) => {
    const out = await db.send(
      new GetCommand({ TableName: table, Key: housingKeys.letter(t, letterId), ConsistentRead: true }),
    );
    return out.Item ? letterFromItem(out.Item) : undefined;
  };

  /** The house's part of a transaction: a mark (Update + house event), or a check that it is open. */
  function houseItems(
    houseId: string,
    gridId: string,
    houseMark: HouseMark | undefined,
    actor: Actor,
    now: string,
    requireVersion: number | undefined,
  ): TransactItems {
    const key = housingKeys.house(t, houseId);
    if (!houseMark) {
      return [
        {
          ConditionCheck: {
            TableName: table,
            Key: key,
            ConditionExpression: `attribute_exists(pk) AND #status IN (:open0, :open1) AND #gridId = :gridId${
              requireVersion === undefined ? '' : ' AND #version = :version'
            }`,
            ExpressionAttributeNames: {
              '#status': 'status',
              '#gridId': 'gridId',
              ...(requireVersion === undefined ? {} : { '#version': 'version' }),
            },
            ExpressionAttributeValues: {
              ':open0': openHouseStatuses[0],
              ':open1': openHouseStatuses[1],
              ':gridId': gridId,
              ...(requireVersion === undefined ? {} : { ':version': requireVersion }),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ];
    }
    const { house, mark } = houseMark;
    const update =
      mark.kind === 'lapsed'
        ? {
            UpdateExpression:
              'SET #lapsed = :on, #duePk = :duePk, #dueSk = :dueSk, #version = #version + :one, #updatedAt = :now',
            ExpressionAttributeValues: {
              ':on': mark.on,
              ':duePk': housingIndexKeys.housesLapsed(t),
              ':dueSk': housingIndexKeys.houseLapsedSk(mark.on, house.houseId),
            },
            ConditionExpression: 'attribute_exists(pk) AND #version = :from',
          }
        : {
            UpdateExpression:
              'REMOVE #lapsed, #duePk, #dueSk SET #version = #version + :one, #updatedAt = :now',
            ExpressionAttributeValues: { ':open0': openHouseStatuses[0], ':open1': openHouseStatuses[1] },
            // A letter still needs an open house in its grid (the version pins the rest).
            ConditionExpression:
              'attribute_exists(pk) AND #version = :from AND #status IN (:open0, :open1) AND #gridId = :gridId',
          };
    return [
      {
        Update: {
          TableName: table,
          Key: key,
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: update.ConditionExpression,
          ExpressionAttributeNames: {
            '#lapsed': 'securityLetterLapsedOn',
            '#duePk': 'duePk',
            '#dueSk': 'dueSk',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
            ...(mark.kind === 'renewed' ? { '#status': 'status', '#gridId': 'gridId' } : {}),
          },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ':one': 1,
            ':now': now,
            ':from': house.version,
            ...(mark.kind === 'renewed' ? { ':gridId': gridId } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Put: {
          TableName: table,
          Item: houseMarkEventItem(t, {
            facts: house,
            action: mark.kind === 'lapsed' ? 'security-letter-lapsed' : 'security-letter-renewed',
            lapsedOn: mark.kind === 'lapsed' ? mark.on : null,
            actor,
            at: now,
          }),
        },
      },
    ];
  }

  /** Why the house's part of a transaction failed, from the item as it was. */
  function houseFailure(
    houseId: string,
    gridId: string,
    old: Record<string, unknown> | undefined,
    versionMatters: boolean,
  ): Error {
    if (!old?.houseId) return new UnknownHouseError(houseId);
    const facts = houseFactsFromItem(old);
    if (facts.gridId !== gridId) return new UnknownHouseError(houseId);
    if (!(openHouseStatuses as readonly string[]).includes(facts.status))
      return new HouseNotOpenError(houseId, facts.status);
    return versionMatters ? new StaleHouseError(facts) : new UnknownHouseError(houseId);
  }

  /** The old image of a cancelled item, unmarshalled (ReturnValuesOnConditionCheckFailure). */
  const oldImage = async (error: unknown, index: number, houseId: string) => {
    const item = reasonsOf(error)[index]?.Item;
    if (item) return unmarshall(item as Parameters<typeof unmarshall>[0]) as Record<string, unknown>;
    const out = await db.send(
      new GetCommand({ TableName: table, Key: housingKeys.house(t, houseId), ConsistentRead: true }),
    );
    return out.Item;
  };

  return {
    /**
     * One transaction: the letter, its first event, the house (an open house in the letter's
     * grid: checked, or — for a security letter renewing a lapsed house — updated with its own
     * event, conditional on the version read) and the party (it exists). An unknown house or
     * party, a banned or closed house, fail the transaction's own conditions.
     */
    async create(change: {
      transition: LetterTransition;
      actor: Actor;
      house: HouseFacts;
      /** Set: the house's security letter lapsed and this letter renews it. */
      renews: boolean;
      /** The house must still be at the version read (a security letter: see use-cases/sign.ts). */
      pinHouseVersion: boolean;
    }) {
      const { transition: tr, actor, house, renews, pinHouseVersion } = change;
      const l = tr.letter;
      const party = l.party;
      const partyKey =
        party.kind === 'landlord'
          ? housingKeys.landlord(t, party.landlordId)
          : peopleKeys.person(t, party.personId);
      const items: TransactItems = [
        {
          Put: { TableName: table, Item: letterItem(t, l), ConditionExpression: 'attribute_not_exists(pk)' },
        },
        { Put: { TableName: table, Item: letterEventItem(t, { transition: tr, actor }) } },
        ...houseItems(
          l.houseId,
          l.gridId,
          renews ? { house, mark: { kind: 'renewed' } } : undefined,
          actor,
          l.createdAt,
          pinHouseVersion ? house.version : undefined,
        ),
        { ConditionCheck: { TableName: table, Key: partyKey, ConditionExpression: 'attribute_exists(pk)' } },
      ];
      const partyIndex = items.length - 1;
      try {
        await transactWrite({ TransactItems: items });
      } catch (error) {
        if (failed(error, 2))
          throw houseFailure(
            l.houseId,
            l.gridId,
            await oldImage(error, 2, l.houseId),
            renews || pinHouseVersion,
          );
        if (failed(error, partyIndex)) {
          throw party.kind === 'landlord'
            ? new UnknownPartyError('party.landlordId', party.landlordId)
            : new UnknownPartyError('party.personId', party.personId);
        }
        if (isTransactionConflict(error)) throw new StaleHouseError(undefined);
        throw error;
      }
      return l;
    },

    /**
     * Apply a transition of a valid letter, conditional on the version it was computed from (a
     * concurrent change makes this fail with StaleLetterWriteError instead of being lost),
     * optionally marking its house in the same transaction (conditional on the house's version).
     */
    async apply(change: {
      transition: LetterTransition;
      fromVersion: number;
      actor: Actor;
      houseMark?: HouseMark;
    }) {
      const { transition: tr, fromVersion, actor, houseMark } = change;
      const l = tr.letter;
      const items: TransactItems = [
        {
          Put: {
            TableName: table,
            Item: letterItem(t, l),
            ConditionExpression: '#version = :from AND #status = :valid',
            ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
            ExpressionAttributeValues: { ':from': fromVersion, ':valid': 'valid' },
          },
        },
        { Put: { TableName: table, Item: letterEventItem(t, { transition: tr, actor }) } },
        ...(houseMark ? houseItems(l.houseId, l.gridId, houseMark, actor, l.updatedAt, undefined) : []),
      ];
      try {
        await transactWrite({ TransactItems: items });
      } catch (error) {
        if (houseMark && failed(error, 2) && !failed(error, 0)) {
          const old = await oldImage(error, 2, l.houseId);
          throw new StaleHouseError(old?.houseId ? houseFactsFromItem(old) : undefined);
        }
        // Still losing races after the retries: as good as a concurrent change.
        if (failed(error, 0) || isTransactionConflict(error))
          throw new StaleLetterWriteError(await currentLetter(l.letterId));
        throw error;
      }
      return l;
    },
  };
}
