import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { pool, sleep } from './measure.js';

type Item = Record<string, unknown>;
type Put = { TableName: string; Item: Item };
type Check = { TableName: string; Key: Item };
export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * Run `write` (repository calls that send TransactWriteItems) without sending anything: the
 * transactions' actions are captured as the repository built them and returned, one list per
 * transaction. Anything else `write` sends throws.
 */
export async function captureTransactions(
  client: DynamoDBDocumentClient,
  write: () => Promise<void>,
): Promise<TransactItems[]> {
  const captured: TransactItems[] = [];
  const original = client.send;
  const capture = async (command: unknown) => {
    if (!(command instanceof TransactWriteCommand))
      throw new Error(`captureTransactions: ${(command as object).constructor.name} is not a transaction`);
    captured.push(command.input.TransactItems ?? []);
    return {};
  };
  client.send = capture as typeof client.send;
  try {
    await write();
  } finally {
    client.send = original;
  }
  return captured;
}

/**
 * Run `write` (repository calls that each send ONE TransactWriteItems of Puts and
 * ConditionChecks) without sending the transactions: their Puts are captured — exactly the items
 * the repository builds — and returned, with the keys their ConditionChecks check (they write
 * nothing; the caller makes sure those items exist). Anything else `write` sends, or a
 * transaction with other actions (Update, Delete), throws.
 */
export async function capturePuts(
  client: DynamoDBDocumentClient,
  write: () => Promise<void>,
): Promise<{ puts: Put[]; checks: Check[] }> {
  const puts: Put[] = [];
  const checks: Check[] = [];
  const original = client.send;
  const capture = async (command: unknown) => {
    if (!(command instanceof TransactWriteCommand))
      throw new Error(`capturePuts: ${(command as object).constructor.name} is not a transaction`);
    for (const action of command.input.TransactItems ?? []) {
      if (action.Put?.TableName && action.Put.Item) {
        puts.push({ TableName: action.Put.TableName, Item: action.Put.Item });
      } else if (action.ConditionCheck?.TableName && action.ConditionCheck.Key) {
        checks.push({ TableName: action.ConditionCheck.TableName, Key: action.ConditionCheck.Key });
      } else {
        throw new Error('capturePuts: a transaction with other actions than Put and ConditionCheck');
      }
    }
    return {};
  };
  client.send = capture as typeof client.send;
  try {
    await write();
  } finally {
    client.send = original;
  }
  return { puts, checks };
}

/**
 * Write items with BatchWriteItem (25 per call, `concurrency` calls in flight), retrying
 * unprocessed items. Resolves to the wall time in ms.
 */
export async function batchWrite(client: DynamoDBDocumentClient, puts: Put[], concurrency: number) {
  const batches: Put[][] = [];
  for (let i = 0; i < puts.length; i += 25) batches.push(puts.slice(i, i + 25));
  return pool(batches, concurrency, async (batch) => {
    const requests: NonNullable<BatchWriteCommandInput['RequestItems']> = {};
    for (const put of batch) {
      requests[put.TableName] ??= [];
      requests[put.TableName]!.push({ PutRequest: { Item: put.Item } });
    }
    let pending: BatchWriteCommandInput['RequestItems'] = requests;
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
      const out: BatchWriteCommandOutput = await client.send(
        new BatchWriteCommand({ RequestItems: pending }),
      );
      pending = out.UnprocessedItems;
    }
  });
}
