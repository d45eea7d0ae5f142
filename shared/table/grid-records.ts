import { registryTableName } from './client.js';
import { registryIndexes } from './definition.js';
import { indexKeys, type TenantContext } from './keys.js';
import { queryPages } from './query.js';

/**
 * Every record of one grid that can count (its people of any status and the verifications
 * recorded in it), read from the byGrid index, which projects exactly the counter fields.
 */
export function gridRecords(t: TenantContext, gridId: string): AsyncGenerator<Record<string, unknown>[]> {
  const index = registryIndexes.byGrid;
  return queryPages({
    TableName: registryTableName(),
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': indexKeys.byGrid(t, gridId) },
  });
}
