import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../../platform/access/principal.js';
import type { Role } from '../../platform/access/roles.js';
import { mintId } from '../../platform/ids.js';
import { documentClient, registryTableName } from '../../platform/table/client.js';
import { batchGet, queryAll, transactWrite } from '../../platform/table/query.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { asPlatform } from '../../platform/table/tenant-scope.js';
import { apiKeyHash, newApiKeySecret } from './credentials.js';
import { tenantKeys as keys } from './keys.js';
import { tenantRepository } from './repository.js';
import { type ApiKeyRecord, apiKeyIdPrefix, type KeyRefusal, keyRefusal, usedOnDay } from './rules.js';

const db = () => documentClient();
const table = () => registryTableName();

export interface NewKey {
  name: string;
  role: Role;
  gridIds: string[] | null;
  expiresAt: string | null;
  rotatedFrom?: string | null;
}

/** The writes of a new key: its record (for listing) and its lookup (for the authorizer). */
export function newKeyItems(t: TenantContext, input: NewKey, now: string) {
  const secret = newApiKeySecret();
  const record: ApiKeyRecord = {
    keyId: mintId(apiKeyIdPrefix),
    name: input.name,
    role: input.role,
    gridIds: input.gridIds,
    createdAt: now,
    revokedAt: null,
    expiresAt: input.expiresAt,
    rotatedFrom: input.rotatedFrom ?? null,
  };
  const secretHash = apiKeyHash(secret);
  const recordPut = {
    TableName: table(),
    Item: { ...keys.apiKey(t, record.keyId), entity: 'api-key', ...record, secretHash },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  const lookupPut = {
    TableName: table(),
    Item: { ...keys.apiKeyLookup(secretHash), entity: 'api-key-lookup', tenantId: t.tenantId, ...record },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  return { secret, record, recordPut, lookupPut, writes: [{ Put: recordPut }, { Put: lookupPut }] };
}

export type ApiKeyView = ApiKeyRecord & { lastUsedOn: string | null };

function apiKeyView(it: Record<string, unknown>, lastUsedOn: string | null = null): ApiKeyView {
  return {
    keyId: it.keyId as string,
    name: it.name as string,
    role: it.role as Role,
    gridIds: (it.gridIds as string[] | null) ?? null,
    createdAt: it.createdAt as string,
    revokedAt: (it.revokedAt as string | null) ?? null,
    expiresAt: (it.expiresAt as string | null) ?? null,
    rotatedFrom: (it.rotatedFrom as string | null) ?? null,
    lastUsedOn,
  };
}

/** An update of a key's lookup (platform item) or record (the tenant's). */
const setOn = (Key: Record<string, string>, values: Record<string, unknown>) => ({
  TableName: table(),
  Key,
  UpdateExpression: `SET ${Object.keys(values)
    .map((k) => `#${k} = :${k}`)
    .join(', ')}`,
  ConditionExpression: 'attribute_exists(pk)',
  ExpressionAttributeNames: Object.fromEntries(Object.keys(values).map((k) => [`#${k}`, k])),
  ExpressionAttributeValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, v])),
});

export function apiKeyRepository(t: TenantContext) {
  return {
    /**
     * Issue a key: its record (the tenant's), then its lookup (a platform item the authorizer
     * reads, written with the function's own narrow role). If the lookup write fails the key
     * does not work and can be revoked; a lookup is never written without its record.
     */
    async create(input: NewKey): Promise<ApiKeyRecord & { apiKey: string }> {
      const key = newKeyItems(t, input, new Date().toISOString());
      await db().send(new PutCommand(key.recordPut));
      await asPlatform('API-key lookup', () => db().send(new PutCommand(key.lookupPut)));
      return { ...key.record, apiKey: key.secret };
    },

    async get(keyId: string): Promise<(ApiKeyRecord & { secretHash: string }) | undefined> {
      const out = await db().send(new GetCommand({ TableName: table(), Key: keys.apiKey(t, keyId) }));
      return out.Item ? { ...apiKeyView(out.Item), secretHash: out.Item.secretHash as string } : undefined;
    },

    /** Every key of the tenant (never a secret), with the day each was last used. */
    async list(): Promise<ApiKeyView[]> {
      const items = await queryAll({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.tenantPartition(t), ':sk': keys.apiKeyPrefix },
      });
      const lookups = await asPlatform('API-key lookups (last use)', () =>
        batchGet(
          table(),
          items.map((it) => keys.apiKeyLookup(it.secretHash as string)),
        ),
      );
      const usedOn = new Map(
        lookups.map((l) => [l.keyId as string, (l.lastUsedOn as string | null) ?? null]),
      );
      return items.map((it) => apiKeyView(it, usedOn.get(it.keyId as string) ?? null));
    },

    /** Revoke: the lookup first (the key is refused from then on), then the record; a retry redoes both. */
    async revoke(keyId: string): Promise<boolean> {
      const key = await this.get(keyId);
      if (!key) return false;
      if (key.revokedAt) return true;
      const now = new Date().toISOString();
      await asPlatform('API-key lookup', () =>
        db().send(new UpdateCommand(setOn(keys.apiKeyLookup(key.secretHash), { revokedAt: now }))),
      );
      await db().send(new UpdateCommand(setOn(keys.apiKey(t, keyId), { revokedAt: now })));
      return true;
    },

    /**
     * Rotate: a new key for the same holder (name, role, grids), and the old one valid until
     * `oldExpiresAt`. Tenant items in one transaction (new record, old record's expiry), then the
     * platform items in another (new lookup, old lookup's expiry).
     */
    async rotate(
      old: ApiKeyRecord & { secretHash: string },
      change: { oldExpiresAt: string; newExpiresAt: string | null },
    ): Promise<ApiKeyRecord & { apiKey: string }> {
      const key = newKeyItems(
        t,
        { ...old, expiresAt: change.newExpiresAt, rotatedFrom: old.keyId },
        new Date().toISOString(),
      );
      await transactWrite({
        TransactItems: [
          { Put: key.recordPut },
          { Update: setOn(keys.apiKey(t, old.keyId), { expiresAt: change.oldExpiresAt }) },
        ],
      });
      await asPlatform('API-key lookups (rotation)', () =>
        transactWrite({
          TransactItems: [
            { Put: key.lookupPut },
            { Update: setOn(keys.apiKeyLookup(old.secretHash), { expiresAt: change.oldExpiresAt }) },
          ],
        }),
      );
      return { ...key.record, apiKey: key.secret };
    },
  };
}

export type KeyLookup = { principal: Principal } | { refused: KeyRefusal | 'unknown' };

/**
 * The authorizer's lookup: a presented secret → the principal with its tenant's settings, or why
 * it is refused (unknown, revoked, expired, or its tenant is gone). Records the day the key was
 * last used — at most one write a day per key. Platform-level: it runs before any tenant is known.
 */
export async function findPrincipalBySecret(secret: string, now = new Date()): Promise<KeyLookup> {
  const lookupKey = keys.apiKeyLookup(apiKeyHash(secret));
  const out = await db().send(new GetCommand({ TableName: table(), Key: lookupKey, ConsistentRead: true }));
  const it = out.Item;
  if (!it) return { refused: 'unknown' };
  const refusal = keyRefusal(it, now);
  if (refusal) return { refused: refusal };
  const tenant = await tenantRepository({ tenantId: it.tenantId as string }).get();
  if (!tenant) return { refused: 'unknown' };
  const today = usedOnDay(now);
  if (it.lastUsedOn !== today) {
    await db()
      .send(
        new UpdateCommand({
          TableName: table(),
          Key: lookupKey,
          UpdateExpression: 'SET lastUsedOn = :today',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedOn) OR lastUsedOn <> :today)',
          ExpressionAttributeValues: { ':today': today },
        }),
      )
      .catch((error: Error) => {
        // Another request recorded today's use first: nothing to do.
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  return {
    principal: {
      tenantId: it.tenantId,
      keyId: it.keyId,
      keyName: it.name,
      role: it.role,
      gridIds: it.gridIds ?? undefined,
      settings: tenant.settings,
    },
  };
}
