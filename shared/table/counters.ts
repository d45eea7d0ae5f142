import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type Contributions, type CounterItemRef, itemRef, sum } from '../domain/counters.js';
import { documentClient, registryTableName } from './client.js';
import { type ItemKey, keys, type TenantContext } from './keys.js';
import { queryAll } from './query.js';

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

export function counterKey(t: TenantContext, ref: CounterItemRef): ItemKey {
  if (ref.kind === 'gauges') return keys.gridCounters(t, ref.gridId);
  if (ref.kind === 'women') return keys.gridWomen(t, ref.gridId, ref.year);
  return keys.gridMonth(t, ref.gridId, ref.month);
}

/** The counter item a stored gauge item is (by its sort key). */
function gaugeRef(gridId: string, sk: string): CounterItemRef {
  return sk.startsWith(keys.womenPrefix)
    ? { gridId, kind: 'women', year: sk.slice(keys.womenPrefix.length) }
    : { gridId, kind: 'gauges' };
}

const bookkeeping = new Set(['pk', 'sk', 'entity', 'tenantId', 'gridId', 'month', 'revision', 'updatedAt']);

export function fieldsOf(item: Record<string, unknown> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(item ?? {}))
    if (!bookkeeping.has(k) && typeof v === 'number') out.set(k, v);
  return out;
}

/** One UpdateItem that ADDs amounts to a counter item (creating it) and bumps its revision. */
export function counterUpdate(
  t: TenantContext,
  ref: CounterItemRef,
  fields: ReadonlyMap<string, number>,
  condition?: { revision: number | undefined },
) {
  const names: Record<string, string> = { '#revision': 'revision' };
  const values: Record<string, unknown> = {
    ':one': 1,
    ':now': new Date().toISOString(),
    ':entity': 'counters',
    ':tenantId': t.tenantId,
    ':gridId': ref.gridId,
  };
  const adds = ['#revision :one'];
  let i = 0;
  for (const [field, n] of fields) {
    names[`#f${i}`] = field;
    values[`:f${i}`] = n;
    adds.push(`#f${i} :f${i}`);
    i++;
  }
  const input = {
    TableName: registryTableName(),
    Key: counterKey(t, ref),
    UpdateExpression: `ADD ${adds.join(', ')} SET updatedAt = :now, entity = :entity, tenantId = :tenantId, gridId = :gridId`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(condition
      ? condition.revision === undefined
        ? { ConditionExpression: 'attribute_not_exists(#revision)' }
        : {
            ConditionExpression: '#revision = :rev',
            ExpressionAttributeValues: { ...values, ':rev': condition.revision },
          }
      : {}),
  };
  return input;
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
        const reasons = error.CancellationReasons ?? [];
        const applied = new Set<number>();
        reasons.forEach((r, i) => {
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
        Item: {
          ...keys.appliedMarker(c.source, c.version),
          entity: 'stream-marker',
          expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });
  const byTenant = new Map<string, Contributions[]>();
  for (const c of changes) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c.delta]);
  let counterItems = 0;
  for (const [tenantId, deltas] of byTenant) {
    for (const [id, fields] of sum(deltas)) {
      items.push({ Update: counterUpdate({ tenantId }, itemRef(id), fields) });
      counterItems++;
    }
  }
  return { input: { TransactItems: items } as TransactWriteCommandInput, markerIndex, counterItems };
}

/** A conditional update: false if the item changed since it was read, or is busy in a transaction. */
async function updateIfUnchanged(input: UpdateCommandInput): Promise<boolean> {
  try {
    await documentClient().send(new UpdateCommand(input));
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') return false;
    throw error;
  }
}

/** Read side of the counters, bound to one tenant. */
export function counterRepository(t: TenantContext) {
  const table = registryTableName();
  return {
    /** Every gauge item of a grid (people by flow and last-seen day; women by birth year). */
    async gaugeItems(gridId: string, consistent = false) {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.gridPartition(t, gridId), ':sk': keys.gaugesPrefix },
        ConsistentRead: consistent,
      });
      return items.map((it) => ({
        ref: gaugeRef(gridId, it.sk as string),
        fields: fieldsOf(it),
        revision: it.revision as number,
      }));
    },

    /** A grid's gauge fields, merged (what countersOn reads), and the main gauges item's revision. */
    async gauges(
      gridId: string,
      consistent = false,
    ): Promise<{ fields: Map<string, number>; revision: number | undefined }> {
      const fields = new Map<string, number>();
      let revision: number | undefined;
      for (const item of await this.gaugeItems(gridId, consistent)) {
        for (const [f, n] of item.fields) fields.set(f, (fields.get(f) ?? 0) + n);
        if (item.ref.kind === 'gauges') revision = item.revision;
      }
      return { fields, revision };
    },

    async gaugesOf(gridIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
      const all = await Promise.all(gridIds.map(async (g) => [g, (await this.gauges(g)).fields] as const));
      return new Map(all);
    },

    /** Month items of one grid between two months (inclusive), with their revisions. */
    async months(gridId: string, from: string, to: string, consistent = false) {
      const items = await queryAll({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.gridPartition(t, gridId),
          ':from': keys.gridMonth(t, gridId, from).sk,
          ':to': keys.gridMonth(t, gridId, to).sk,
        },
        ConsistentRead: consistent,
      });
      return items.map((it) => ({
        month: (it.sk as string).slice(keys.monthPrefix.length),
        fields: fieldsOf(it),
        revision: it.revision as number,
      }));
    },

    /**
     * Drop fields that have come to zero (a birth date or a last-seen day nobody has any more),
     * so a grid's counter item does not grow with history; only if unchanged since it was read.
     */
    async compact(ref: CounterItemRef, zeroFields: readonly string[], revision: number): Promise<boolean> {
      if (zeroFields.length === 0) return true;
      const names: Record<string, string> = { '#revision': 'revision' };
      zeroFields.forEach((f, i) => {
        names[`#z${i}`] = f;
      });
      return updateIfUnchanged({
        TableName: table,
        Key: counterKey(t, ref),
        UpdateExpression: `REMOVE ${zeroFields.map((_, i) => `#z${i}`).join(', ')}`,
        ConditionExpression: '#revision = :rev',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':rev': revision },
      });
    },

    /** Repair one counter item by ADDing the difference, only if nobody changed it since it was read. */
    async repair(
      ref: CounterItemRef,
      difference: ReadonlyMap<string, number>,
      revision: number | undefined,
    ): Promise<boolean> {
      return updateIfUnchanged(counterUpdate(t, ref, difference, { revision }));
    },
  };
}
