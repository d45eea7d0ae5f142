import { registryTableName } from '../../../platform/table/client.js';
import { registryIndexes } from '../../../platform/table/definition.js';
import { batchGet, queryPages } from '../../../platform/table/query.js';
import type { ItemKey, TenantContext } from '../../../platform/table/tenant-context.js';
import { gridIndexPk } from '../../grids/keys.js';

/**
 * Every record of one grid that can count (any module's), read from the byGrid index, which
 * projects exactly the attributes the modules' counters read.
 */
export function gridRecords(t: TenantContext, gridId: string): AsyncGenerator<Record<string, unknown>[]> {
  const index = registryIndexes.byGrid;
  return queryPages({
    TableName: registryTableName(),
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': gridIndexPk(t, gridId) },
  });
}

/** How many of these applied-markers are missing (writes the stream has not applied yet). */
export async function missingMarkers(markers: readonly ItemKey[]): Promise<number> {
  if (markers.length === 0) return 0;
  const found = await batchGet(registryTableName(), markers, { consistentRead: true });
  return markers.length - found.length;
}
