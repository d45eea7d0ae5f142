import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, registryTableName } from './client.js';
import { registryIndexes } from './definition.js';
import { indexKeys, type TenantContext } from './keys.js';

/**
 * Every record of one grid that can count (its people of any status and the verifications
 * recorded in it), read from the byGrid index, which projects exactly the counter fields.
 */
export async function* gridRecords(
  t: TenantContext,
  gridId: string,
): AsyncGenerator<Record<string, unknown>[]> {
  const index = registryIndexes.byGrid;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: registryTableName(),
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': indexKeys.byGrid(t, gridId) },
        ExclusiveStartKey: start,
      }),
    );
    yield out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start);
}
