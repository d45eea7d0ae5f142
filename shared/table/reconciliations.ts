import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, registryTableName } from './client.js';
import { keys, type TenantContext } from './keys.js';

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
];

const view = (it: Record<string, unknown>): ReconciliationRun =>
  Object.fromEntries(runFields.map((f) => [f, it[f] ?? null])) as unknown as ReconciliationRun;

export function reconciliationRepository(t: TenantContext) {
  const db = documentClient();
  const table = registryTableName();
  return {
    async list(limit: number): Promise<ReconciliationRun[]> {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': keys.tenantPartition(t), ':sk': keys.reconciliationPrefix },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map(view);
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
