import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { engine } from '../../shared/app/index.js';
import { peopleIndexKeys } from '../../shared/modules/people/keys.js';
import { reconcileGrid } from '../../shared/modules/statistics/reconcile.js';
import { documentClient, registryTableName } from '../../shared/platform/table/client.js';
import { registryIndexes } from '../../shared/platform/table/definition.js';
import type { TenantContext } from '../../shared/platform/table/tenant-context.js';

export interface ReconcileFigure {
  rounds: number;
  /** Records read per round by the raw Query and by the reconciler (equal unless it found drift and re-read). */
  rawRecords: number;
  reconciledRecords: number;
  rawMs: number;
  reconcileMs: number;
  driftFound: number;
}

/** Every item of one grid's byGrid partition, page by page, as plainly as DynamoDB serves them. */
async function queryGrid(t: TenantContext, gridId: string): Promise<number> {
  const index = registryIndexes.byGrid;
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: registryTableName(),
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': peopleIndexKeys.byGrid(t, gridId) },
        ExclusiveStartKey: start,
      }),
    );
    count += out.Items?.length ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * Figure 5: `reconcileGrid` (settleMs 0) over every grid of a township next to a raw paginated
 * Query of the same byGrid partitions through the same document client. Rounds alternate raw →
 * reconcile; times are summed over the rounds.
 */
export async function reconciliationRate(
  t: TenantContext,
  grids: readonly string[],
  rounds: number,
): Promise<ReconcileFigure> {
  let rawMs = 0;
  let reconcileMs = 0;
  let rawRecords = 0;
  let reconciled = 0;
  let driftFound = 0;
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    for (const gridId of grids) rawRecords += await queryGrid(t, gridId);
    rawMs += performance.now() - started;

    started = performance.now();
    for (const gridId of grids) {
      const r = await reconcileGrid(t, { gridId, settleMs: 0, engine });
      reconciled += r.recordsRead;
      driftFound += r.driftFound;
    }
    reconcileMs += performance.now() - started;
  }
  return {
    rounds,
    rawRecords: rawRecords / rounds,
    reconciledRecords: reconciled / rounds,
    rawMs,
    reconcileMs,
    driftFound,
  };
}
