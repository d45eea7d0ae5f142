import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../../platform/access/principal.js';
import type { Role } from '../../platform/access/roles.js';
import { mintId } from '../../platform/ids.js';
import { documentClient, registryTableName } from '../../platform/table/client.js';
import { queryAll } from '../../platform/table/query.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { asPlatform } from '../../platform/table/tenant-scope.js';
import { apiKeyHash, newApiKeySecret } from './credentials.js';
import { tenantKeys as keys } from './keys.js';
import { tenantRepository } from './repository.js';
import { type ApiKeyRecord, apiKeyIdPrefix } from './rules.js';

const db = () => documentClient();
const table = () => registryTableName();

/** The writes of a new key: its record (for listing) and its lookup (for the authorizer). */
export function newKeyItems(
  t: TenantContext,
  input: { name: string; role: Role; gridIds: string[] | null },
  now: string,
) {
  const secret = newApiKeySecret();
  const record: ApiKeyRecord = {
    keyId: mintId(apiKeyIdPrefix),
    name: input.name,
    role: input.role,
    gridIds: input.gridIds,
    createdAt: now,
    revokedAt: null,
  };
  const secretHash = apiKeyHash(secret);
  const writes = [
    {
      Put: {
        TableName: table(),
        Item: { ...keys.apiKey(t, record.keyId), entity: 'api-key', ...record, secretHash },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...keys.apiKeyLookup(secretHash), entity: 'api-key-lookup', tenantId: t.tenantId, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  return { secret, record, writes };
}

function apiKeyView(it: Record<string, unknown>): ApiKeyRecord {
  return {
    keyId: it.keyId as string,
    name: it.name as string,
    role: it.role as Role,
    gridIds: (it.gridIds as string[] | null) ?? null,
    createdAt: it.createdAt as string,
    revokedAt: (it.revokedAt as string | null) ?? null,
  };
}

export function apiKeyRepository(t: TenantContext) {
  return {
    /**
     * Issue a key: its record (the tenant's), then its lookup (a platform item the authorizer
     * reads, written with the function's own narrow role). If the lookup write fails the key
     * does not work and can be revoked; a lookup is never written without its record.
     */
    async create(input: {
      name: string;
      role: Role;
      gridIds: string[] | null;
    }): Promise<ApiKeyRecord & { apiKey: string }> {
      const key = newKeyItems(t, input, new Date().toISOString());
      const [record, lookup] = key.writes;
      await db().send(new PutCommand(record!.Put));
      await asPlatform('API-key lookup', () => db().send(new PutCommand(lookup!.Put)));
      return { ...key.record, apiKey: key.secret };
    },

    async list(): Promise<ApiKeyRecord[]> {
      const items = await queryAll({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.tenantPartition(t), ':sk': keys.apiKeyPrefix },
      });
      return items.map(apiKeyView);
    },

    /** Revoke: both the record and the lookup the authorizer reads, atomically. False if unknown. */
    async revoke(keyId: string): Promise<boolean> {
      const out = await db().send(new GetCommand({ TableName: table(), Key: keys.apiKey(t, keyId) }));
      if (!out.Item) return false;
      if (out.Item.revokedAt) return true;
      const now = new Date().toISOString();
      const revoke = (Key: Record<string, string>) => ({
        Update: {
          TableName: table(),
          Key,
          UpdateExpression: 'SET revokedAt = :now',
          ExpressionAttributeValues: { ':now': now },
        },
      });
      // The lookup first (the key is refused from then on), then the record; a retry redoes both.
      await asPlatform('API-key lookup', () =>
        db().send(new UpdateCommand(revoke(keys.apiKeyLookup(out.Item?.secretHash)).Update)),
      );
      await db().send(new UpdateCommand(revoke(keys.apiKey(t, keyId)).Update));
      return true;
    },
  };
}

/**
 * The authorizer's lookup: a presented secret → the principal with its tenant's settings, or
 * undefined if the key is unknown or revoked, or its tenant is gone (two reads; the answer is
 * cached by the host for the authorizer TTL).
 */
export async function findPrincipalBySecret(secret: string): Promise<Principal | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: keys.apiKeyLookup(apiKeyHash(secret)), ConsistentRead: true }),
  );
  const it = out.Item;
  if (!it || it.revokedAt) return undefined;
  const tenant = await tenantRepository({ tenantId: it.tenantId as string }).get();
  if (!tenant) return undefined;
  return {
    tenantId: it.tenantId,
    keyId: it.keyId,
    keyName: it.name,
    role: it.role,
    gridIds: it.gridIds ?? undefined,
    settings: tenant.settings,
  };
}
