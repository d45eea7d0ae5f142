import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Contributions, counterItemRef } from '../../platform/counting.js';
import { documentClient, registryTableName } from '../../platform/table/client.js';
import type { ItemKey } from '../../platform/table/tenant-context.js';
import { sum } from './engine.js';
import { statisticsKeys as keys } from './keys.js';
import { counterUpdate } from './repository/counters.js';

/** DynamoDB's limit of items in one transaction. */
const maxTransactionItems = 100;
/** Dedupe markers outlive the stream's 24 h retention, then TTL removes them. */
const markerTtlSeconds = 48 * 60 * 60;

export interface SourceChange {
  /** The changed item's key and its new version: the same on every redelivery of this write. */
  source: ItemKey;
  version: number;
  tenantId: string;
  delta: Contributions;
}

/**
 * Apply stream changes exactly once: each chunk is ONE transaction holding a dedupe marker per
 * source change and one ADD per counter item (the chunk's changes collapsed). A redelivered
 * change finds its marker, is dropped, and the chunk is retried without it — so replays,
 * crash-retries and partial-batch retries never count twice. Returns the number of counter-item
 * writes made (for metrics and the benchmark).
 */
export async function applyChanges(
  changes: readonly SourceChange[],
): Promise<{ counterWrites: number; skipped: number }> {
  let counterWrites = 0;
  let skipped = 0;
  // A change that counts nothing needs no marker: applying nothing twice is harmless.
  for (const chunk of chunksOf(changes.filter((c) => c.delta.size > 0))) {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const { input, markerIndex, counterItems } = transactionFor(pending);
      try {
        await documentClient().send(new TransactWriteCommand(input));
        counterWrites += counterItems;
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) || attempt >= 8) throw error;
        const applied = new Set<number>();
        (error.CancellationReasons ?? []).forEach((r, i) => {
          const change = markerIndex.get(i);
          if (r.Code === 'ConditionalCheckFailed' && change !== undefined) applied.add(change);
        });
        if (applied.size > 0) {
          skipped += applied.size;
          pending = pending.filter((_, i) => !applied.has(i));
          continue;
        }
        // Conflicts with a concurrent writer of the same counter item: back off and retry.
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
      }
    }
  }
  return { counterWrites, skipped };
}

function* chunksOf(changes: readonly SourceChange[]): Generator<SourceChange[]> {
  let chunk: SourceChange[] = [];
  let items = new Set<string>();
  for (const change of changes) {
    const touched = new Set(items);
    for (const id of change.delta.keys()) touched.add(`${change.tenantId}|${id}`);
    if (chunk.length > 0 && chunk.length + 1 + touched.size > maxTransactionItems) {
      yield chunk;
      chunk = [];
      items = new Set();
      for (const id of change.delta.keys()) items.add(`${change.tenantId}|${id}`);
    } else {
      items = touched;
    }
    chunk.push(change);
  }
  if (chunk.length > 0) yield chunk;
}

function transactionFor(changes: readonly SourceChange[]) {
  const table = registryTableName();
  const expiresAt = Math.floor(Date.now() / 1000) + markerTtlSeconds;
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
  const markerIndex = new Map<number, number>();
  changes.forEach((c, i) => {
    markerIndex.set(items.length, i);
    items.push({
      Put: {
        TableName: table,
        Item: { ...keys.appliedMarker(c.source, c.version), entity: 'stream-marker', expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });
  const byTenant = new Map<string, Contributions[]>();
  for (const c of changes) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c.delta]);
  let counterItems = 0;
  for (const [tenantId, deltas] of byTenant) {
    for (const [id, fields] of sum(deltas)) {
      items.push({ Update: counterUpdate({ tenantId }, counterItemRef(id), fields) });
      counterItems++;
    }
  }
  return { input: { TransactItems: items } as TransactWriteCommandInput, markerIndex, counterItems };
}
