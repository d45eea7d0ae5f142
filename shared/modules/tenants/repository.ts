import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mintId } from '../../platform/ids.js';
import { documentClient, registryTableName } from '../../platform/table/client.js';
import { queryPages, transactWrite } from '../../platform/table/query.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { newKeyItems } from './api-keys.js';
import { tenantKeys as keys } from './keys.js';
import { defaultSettings, type Tenant, type TenantSettings, tenantIdPrefix } from './rules.js';

const db = () => documentClient();
const table = () => registryTableName();

/** Sign-up: tenant, directory entry, the admin key (record + lookup) in one transaction. */
export async function createTenant(input: {
  townshipName: string;
  adminName: string;
  adminEmail: string;
}): Promise<{ tenantId: string; keyId: string; apiKey: string }> {
  const tenant: TenantContext = { tenantId: mintId(tenantIdPrefix) };
  const now = new Date().toISOString();
  const key = newKeyItems(
    tenant,
    { name: input.adminName, role: 'admin', gridIds: null, expiresAt: null },
    now,
  );
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
          Item: { ...keys.directoryEntry(tenant), entity: 'tenant-directory', tenantId: tenant.tenantId },
        },
      },
      ...key.writes,
    ],
  });
  return { tenantId: tenant.tenantId, keyId: key.record.keyId, apiKey: key.secret };
}

const tenantView = (item: Record<string, unknown>): Tenant => ({
  tenantId: item.tenantId as string,
  townshipName: item.townshipName as string,
  settings: { ...defaultSettings, ...((item.settings as Partial<TenantSettings> | undefined) ?? {}) },
});

export function tenantRepository(t: TenantContext) {
  return {
    async get(): Promise<Tenant | undefined> {
      const out = await db().send(new GetCommand({ TableName: table(), Key: keys.tenant(t) }));
      return out.Item ? tenantView(out.Item) : undefined;
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
      if (sets.length === 0) return this.get();
      try {
        const out = await db().send(
          new UpdateCommand({
            TableName: table(),
            Key: keys.tenant(t),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes ? tenantView(out.Attributes) : undefined;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
        throw error;
      }
    },
  };
}

/** Platform-level: every tenant id (scheduled jobs). */
export async function* allTenants(): AsyncGenerator<TenantContext> {
  const pages = queryPages({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.directoryPk },
  });
  for await (const page of pages) for (const it of page) yield { tenantId: it.tenantId as string };
}
