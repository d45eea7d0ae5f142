import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mintId } from '../../platform/ids.js';
import { documentClient, registryTableName } from '../../platform/table/client.js';
import { batchGet, queryAll } from '../../platform/table/query.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { gridKeys as keys } from './keys.js';
import { type Grid, gridIdPrefix } from './rules.js';

export type { Grid } from './rules.js';

const view = (it: Record<string, unknown>): Grid => ({
  gridId: it.gridId as string,
  name: it.name as string,
  community: it.community as string,
  createdAt: it.createdAt as string,
});

export function gridRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();
  return {
    async create(input: { name: string; community: string }): Promise<Grid> {
      const grid: Grid = { gridId: mintId(gridIdPrefix), ...input, createdAt: new Date().toISOString() };
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.grid(t, grid.gridId), entity: 'grid', ...grid },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return grid;
    },

    async get(gridId: string): Promise<Grid | undefined> {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.grid(t, gridId) }));
      return out.Item ? view(out.Item) : undefined;
    },

    /** Every grid of the tenant, ordered by gridId (creation order). */
    async list(): Promise<Grid[]> {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.tenantPartition(t), ':sk': keys.gridPrefix },
      });
      return items.map(view);
    },

    /** The subset of `gridIds` that exist in this tenant. */
    async existing(gridIds: readonly string[]): Promise<Set<string>> {
      const found = await batchGet(
        table,
        [...new Set(gridIds)].map((g) => keys.grid(t, g)),
      );
      return new Set(found.map((it) => it.gridId as string));
    },
  };
}
