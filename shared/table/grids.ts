import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../ids.js';
import { documentClient, registryTableName } from './client.js';
import { keys, type TenantContext } from './keys.js';

export interface Grid {
  gridId: string;
  name: string;
  community: string;
  createdAt: string;
}

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
      const grid: Grid = { gridId: newId.grid(), ...input, createdAt: new Date().toISOString() };
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
      const grids: Grid[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
            ExpressionAttributeValues: { ':pk': keys.tenantPartition(t), ':sk': keys.gridPrefix },
            ExclusiveStartKey: start,
          }),
        );
        for (const it of out.Items ?? []) grids.push(view(it));
        start = out.LastEvaluatedKey;
      } while (start);
      return grids;
    },

    /** The subset of `gridIds` that exist in this tenant. */
    async existing(gridIds: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      const unique = [...new Set(gridIds)];
      for (let i = 0; i < unique.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
          [table]: { Keys: unique.slice(i, i + 100).map((g) => keys.grid(t, g)) },
        };
        while (request && Object.keys(request).length > 0) {
          const out = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const it of out.Responses?.[table] ?? []) found.add(it.gridId as string);
          request = out.UnprocessedKeys as typeof request;
        }
      }
      return found;
    },
  };
}
