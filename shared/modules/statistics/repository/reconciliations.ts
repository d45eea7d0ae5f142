import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, registryTableName } from '../../../platform/table/client.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { statisticsKeys as keys } from '../keys.js';

export interface ReconciliationRun {
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  recordsRead: number;
  countersChecked: number;
  driftFound: number;
  driftRepaired: number;
  gridsChecked: number;
  gridsSkipped: number;
  /** Stored records that cannot be counted (corrupted by hand): reported, not counted. */
  malformedRecords: number;
}

export interface ReconciliationCheckpoint {
  run: ReconciliationRun;
  /** The last grid fully reconciled; the run resumes after it. */
  lastGridId: string | null;
}

const runFields: readonly (keyof ReconciliationRun)[] = [
  'runId',
  'startedAt',
  'finishedAt',
  'recordsRead',
  'countersChecked',
  'driftFound',
  'driftRepaired',
  'gridsChecked',
  'gridsSkipped',
  'malformedRecords',
];

const view = (it: Record<string, unknown>): ReconciliationRun =>
  Object.fromEntries(runFields.map((f) => [f, it[f] ?? null])) as unknown as ReconciliationRun;

export function reconciliationRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();
  return {
    /** Runs newest first, a page at a time (after `afterRunId`, exclusive). */
    async page(limit: number, afterRunId?: string): Promise<{ runs: ReconciliationRun[]; more: boolean }> {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: afterRunId
            ? 'pk = :pk AND sk BETWEEN :first AND :after'
            : 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: afterRunId
            ? {
                ':pk': keys.tenantPartition(t),
                ':first': keys.reconciliationPrefix,
                ':after': keys.reconciliationRun(t, afterRunId).sk,
              }
            : { ':pk': keys.tenantPartition(t), ':sk': keys.reconciliationPrefix },
          ScanIndexForward: false,
          // one more than asked: tells whether another page exists (and skips `after` itself)
          Limit: limit + (afterRunId ? 2 : 1),
        }),
      );
      const runs = (out.Items ?? []).map(view).filter((r) => r.runId !== afterRunId);
      return { runs: runs.slice(0, limit), more: runs.length > limit };
    },

    async list(limit: number): Promise<ReconciliationRun[]> {
      return (await this.page(limit)).runs;
    },

    async saveRun(run: ReconciliationRun): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.reconciliationRun(t, run.runId), entity: 'reconciliation', ...run },
        }),
      );
    },

    async checkpoint(): Promise<ReconciliationCheckpoint | undefined> {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: keys.reconciliationCheckpoint(t), ConsistentRead: true }),
      );
      return out.Item
        ? { run: view(out.Item.run), lastGridId: (out.Item.lastGridId as string | null) ?? null }
        : undefined;
    },

    async saveCheckpoint(cp: ReconciliationCheckpoint): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.reconciliationCheckpoint(t), entity: 'reconciliation-checkpoint', ...cp },
        }),
      );
    },

    async clearCheckpoint(): Promise<void> {
      await db.send(new DeleteCommand({ TableName: table, Key: keys.reconciliationCheckpoint(t) }));
    },
  };
}
