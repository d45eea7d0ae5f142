import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { defaultSettings, type Tenant, type TenantSettings } from '../domain/tenant.js';
import type { Principal } from '../http/principal.js';
import type { Role } from '../http/routes.js';
import { newId } from '../ids.js';
import { apiKeyHash, newApiKeySecret } from '../secrets.js';
import { documentClient, registryTableName } from './client.js';
import { keys, type TenantContext } from './keys.js';
import { queryAll, queryPages, transactWrite } from './query.js';

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  role: Role;
  gridIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

const db = () => documentClient();
const table = () => registryTableName();

/** Sign-up: tenant, directory entry, the admin key (record + lookup) in one transaction. */
export async function createTenant(input: {
  townshipName: string;
  adminName: string;
  adminEmail: string;
}): Promise<{ tenantId: string; keyId: string; apiKey: string }> {
  const tenant: TenantContext = { tenantId: newId.tenant() };
  const now = new Date().toISOString();
  const key = newKeyItems(tenant, { name: input.adminName, role: 'admin', gridIds: null }, now);
  await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: table(),
          Item: {
            ...keys.tenant(tenant),
            entity: 'tenant',
            tenantId: tenant.tenantId,
            townshipName: input.townshipName,
            adminName: input.adminName,
            adminEmail: input.adminEmail,
            settings: defaultSettings,
            createdAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: table(),
          Item: {
            ...keys.tenantDirectoryEntry(tenant),
            entity: 'tenant-directory',
            tenantId: tenant.tenantId,
          },
        },
      },
      ...key.writes,
    ],
  });
  return { tenantId: tenant.tenantId, keyId: key.record.keyId, apiKey: key.secret };
}

function newKeyItems(
  t: TenantContext,
  input: { name: string; role: Role; gridIds: string[] | null },
  now: string,
) {
  const secret = newApiKeySecret();
  const record: ApiKeyRecord = {
    keyId: newId.apiKey(),
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

export function tenantRepository(t: TenantContext) {
  return {
    async get(): Promise<Tenant | undefined> {
      const out = await db().send(new GetCommand({ TableName: table(), Key: keys.tenant(t) }));
      if (!out.Item) return undefined;
      return {
        tenantId: out.Item.tenantId,
        townshipName: out.Item.townshipName,
        settings: { ...defaultSettings, ...(out.Item.settings ?? {}) },
      };
    },

    async updateSettings(changes: Partial<TenantSettings>): Promise<Tenant | undefined> {
      const names: Record<string, string> = { '#settings': 'settings' };
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) continue;
        names[`#${k}`] = k;
        values[`:${k}`] = v;
        sets.push(`#settings.#${k} = :${k}`);
      }
      if (sets.length > 0) {
        await db().send(
          new UpdateCommand({
            TableName: table(),
            Key: keys.tenant(t),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      }
      return this.get();
    },

    async createApiKey(input: {
      name: string;
      role: Role;
      gridIds: string[] | null;
    }): Promise<ApiKeyRecord & { apiKey: string }> {
      const key = newKeyItems(t, input, new Date().toISOString());
      await transactWrite({ TransactItems: key.writes });
      return { ...key.record, apiKey: key.secret };
    },

    async listApiKeys(): Promise<ApiKeyRecord[]> {
      const items = await queryAll({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.tenantPartition(t), ':sk': keys.apiKeyPrefix },
      });
      return items.map(apiKeyView);
    },

    /** Revoke: both the record and the lookup the authorizer reads, atomically. False if unknown. */
    async revokeApiKey(keyId: string): Promise<boolean> {
      const out = await db().send(new GetCommand({ TableName: table(), Key: keys.apiKey(t, keyId) }));
      if (!out.Item) return false;
      if (out.Item.revokedAt) return true;
      const now = new Date().toISOString();
      await transactWrite({
        TransactItems: [
          {
            Update: {
              TableName: table(),
              Key: keys.apiKey(t, keyId),
              UpdateExpression: 'SET revokedAt = :now',
              ExpressionAttributeValues: { ':now': now },
            },
          },
          {
            Update: {
              TableName: table(),
              Key: keys.apiKeyLookup(out.Item.secretHash),
              UpdateExpression: 'SET revokedAt = :now',
              ExpressionAttributeValues: { ':now': now },
            },
          },
        ],
      });
      return true;
    },
  };
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

/** The authorizer's lookup: a presented secret → the principal, or undefined if unknown/revoked. */
export async function findPrincipalBySecret(secret: string): Promise<Principal | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: table(), Key: keys.apiKeyLookup(apiKeyHash(secret)), ConsistentRead: true }),
  );
  const it = out.Item;
  if (!it || it.revokedAt) return undefined;
  return {
    tenantId: it.tenantId,
    keyId: it.keyId,
    keyName: it.name,
    role: it.role,
    gridIds: it.gridIds ?? undefined,
  };
}

/** Platform-level: every tenant id (scheduled jobs). */
export async function* allTenants(): AsyncGenerator<TenantContext> {
  const pages = queryPages({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.tenantDirectoryPk },
  });
  for await (const page of pages) for (const it of page) yield { tenantId: it.tenantId as string };
}
