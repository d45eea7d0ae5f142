import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  paginateQuery,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client.js';
import type { ItemKey } from './tenant-context.js';

type Item = Record<string, unknown>;

/** Every page of a Query, following LastEvaluatedKey (the SDK's own paginator). */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<Item[]> {
  for await (const page of paginateQuery({ client: documentClient() }, input)) yield page.Items ?? [];
}

/** Every item of a Query. */
export async function queryAll(input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
}

/** Get items by key, 100 at a time, retrying unprocessed keys; missing items are simply absent. */
export async function batchGet(
  tableName: string,
  keys: readonly ItemKey[],
  options: { consistentRead?: boolean } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: ItemKey[]; ConsistentRead: boolean }> | undefined = {
      [tableName]: { Keys: keys.slice(i, i + 100), ConsistentRead: options.consistentRead ?? false },
    };
    while (request && Object.keys(request).length > 0) {
      const out = await documentClient().send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(out.Responses?.[tableName] ?? []));
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return items;
}

/** A transaction cancelled only because another transaction held one of its items. */
export const isTransactionConflict = (error: unknown): boolean =>
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
    !(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')) ||
  (error as Error | undefined)?.name === 'TransactionConflictException';

/**
 * TransactWriteItems, retried with jittered backoff while it only lost a race for an item to
 * another transaction (DynamoDB cancels one of two concurrent transactions on the same item;
 * the SDK does not retry that). Condition failures and other errors are thrown at once.
 */
export async function transactWrite(input: TransactWriteCommandInput, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient().send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 15 * 2 ** attempt + Math.random() * 25));
    }
  }
}

/** A conditional update: false if the item changed since it was read, or is busy in a transaction. */
export async function updateIfUnchanged(input: UpdateCommandInput): Promise<boolean> {
  try {
    await documentClient().send(new UpdateCommand(input));
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') return false;
    throw error;
  }
}
