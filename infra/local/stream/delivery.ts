/**
 * Delivery of one batch the way Lambda's DynamoDB event source mapping does it: invoke the
 * handler, honour batchItemFailures (ReportBatchItemFailures), bisect on error, retry, and send
 * what still fails to the on-failure destination (a dead letter) so the shard moves on.
 */
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamSubscription } from '../../../shared/platform/module.js';
import { lambdaContext } from '../handlers.js';
import type { DeadLetter } from './dead-letters.js';
import { type EventSource, toLambdaRecord } from './events.js';
import { errorMessage, Stopped, sleep } from './util.js';

/** What aws-lambda's DynamoDBStreamHandler returns: a batch response, or nothing. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: same as aws-lambda's DynamoDBStreamHandler
) => Promise<DynamoDBBatchResponse | undefined | void>;

/** Records read from a shard, in order, each marked whether it passed the filters. */
export interface BufferedBatch {
  records: _Record[];
  /** `matched[i]`: `records[i]` goes to the handler; the others only advance the checkpoint. */
  matched: boolean[];
}

/** A dead letter as delivery knows it; the poller adds where it came from. */
export type FailedBatch = Omit<DeadLetter, 'subscription' | 'tableName' | 'streamArn' | 'failedAt'>;

export type InvokeOutcome =
  | { kind: 'ok' }
  /** Index (in the invoked records) of the lowest failed record. */
  | { kind: 'partial'; firstFailed: number; error: string }
  | { kind: 'error'; error: string };

export interface InvokeOptions {
  handler: StreamHandler;
  /** Function name in the Lambda context. */
  functionName: string;
  records: DynamoDBRecord[];
  /** The batch's deadline (the subscription's timeout, stretched only for test stacks). */
  timeoutSeconds: number;
}

/** Invoke the handler once; the outcome as the event source mapping sees it. */
export async function invokeHandler({
  handler,
  functionName,
  records,
  timeoutSeconds,
}: InvokeOptions): Promise<InvokeOutcome> {
  const event: DynamoDBStreamEvent = { Records: records };
  const context = lambdaContext(functionName, timeoutSeconds);
  let result: unknown;
  try {
    result = await handler(event, context);
  } catch (err) {
    return { kind: 'error', error: errorMessage(err) };
  }
  return interpretResponse(result, records);
}

/** What Lambda makes of a stream handler's response (ReportBatchItemFailures). */
export function interpretResponse(result: unknown, records: DynamoDBRecord[]): InvokeOutcome {
  if (result === undefined || result === null || typeof result !== 'object') return { kind: 'ok' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'ok' };
  if (!Array.isArray(failures)) return { kind: 'error', error: 'invalid batchItemFailures in the response' };
  if (failures.length === 0) return { kind: 'ok' };
  let firstFailed = Number.POSITIVE_INFINITY;
  const ids: string[] = [];
  for (const failure of failures) {
    const id: unknown = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    // An empty, missing or unknown identifier fails the whole batch, as on AWS.
    if (typeof id !== 'string' || id === '')
      return { kind: 'error', error: 'batchItemFailures with no itemIdentifier' };
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === id);
    if (index < 0)
      return { kind: 'error', error: `batchItemFailures names an unknown sequence number ${id}` };
    ids.push(id);
    firstFailed = Math.min(firstFailed, index);
  }
  return { kind: 'partial', firstFailed, error: `batchItemFailures: ${ids.join(', ')}` };
}

export interface BatchDeliveryOptions {
  shardId: string;
  source: EventSource;
  subscription: Pick<StreamSubscription, 'retryAttempts' | 'maxRecordAgeSeconds' | 'bisectBatchOnError'>;
  handler: StreamHandler;
  functionName: string;
  /** Each batch's deadline in seconds. */
  timeoutSeconds: number;
  /** Pause before retrying a failed batch. */
  retryDelayMs: number;
  /** Aborted when the poller stops: cuts retry pauses short. */
  signal: AbortSignal;
  isStopping: () => boolean;
  /** Record that the shard is processed up to and including this sequence number. */
  checkpoint: (sequenceNumber: string) => Promise<void>;
  /** Hand a batch that exhausted its retries to the on-failure destination. */
  deadLetter: (letter: FailedBatch) => Promise<unknown>;
}

/**
 * The event source mapping's retry loop for one batch: partial failures retry from the first
 * failed record, errors bisect (if enabled), exhausted retries go to a dead letter. Resolves once
 * the whole batch is processed and checkpointed; throws `Stopped` if the poller stops before.
 */
export async function deliverBatch(batch: BufferedBatch, opts: BatchDeliveryOptions): Promise<void> {
  const { records: raw, matched } = batch;
  const { subscription, retryDelayMs, signal, isStopping } = opts;
  const commit = async (record: _Record): Promise<void> => {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (sequenceNumber) await opts.checkpoint(sequenceNumber);
  };
  let pos = 0; // first unprocessed index in raw
  // Sizes (in matching records) of the batches still to invoke from `pos` on: one at first, and a
  // failed batch is replaced by its two halves when bisectBatchOnError is set.
  let segments: number[] = [matched.filter(Boolean).length];
  let failures = 0; // failed attempts of the batch starting at `failedStart` (splits excluded)
  let failedStart = -1;

  while (pos < raw.length) {
    const indexes: number[] = [];
    for (let i = pos; i < raw.length; i++) if (matched[i]) indexes.push(i);
    if (indexes.length === 0) {
      // Only filtered-out records left: processed.
      await commit(raw[raw.length - 1]!);
      return;
    }
    const take = indexes.slice(0, Math.max(1, segments[0] ?? indexes.length));
    const lastIndex = take[take.length - 1]!;
    const records = take.map((i) => toLambdaRecord(raw[i]!, opts.source));
    const outcome = await invokeHandler({
      handler: opts.handler,
      functionName: opts.functionName,
      records,
      timeoutSeconds: opts.timeoutSeconds,
    });

    if (outcome.kind === 'ok') {
      await commit(raw[lastIndex]!);
      pos = lastIndex + 1;
      segments = segments.slice(1);
      failures = 0;
      failedStart = -1;
      continue;
    }

    let failedAt = pos;
    if (outcome.kind === 'partial') {
      // Records before the first failure are done; the retry starts at the failed record.
      failedAt = take[outcome.firstFailed]!;
      if (failedAt > pos) await commit(raw[failedAt - 1]!);
      segments = [take.length - outcome.firstFailed, ...segments.slice(1)];
    } else if (subscription.bisectBatchOnError && take.length > 1) {
      // Split, then retry each half on its own; splitting does not count as a retry.
      const first = Math.ceil(take.length / 2);
      segments = [first, take.length - first, ...segments.slice(1)];
      if (isStopping()) throw new Stopped();
      await sleep(retryDelayMs, signal);
      continue;
    }
    if (failedAt !== failedStart) {
      failedStart = failedAt;
      failures = 0;
    }
    failures++;
    pos = failedAt;

    const retryAttempts = subscription.retryAttempts;
    const exhausted = retryAttempts >= 0 && failures > retryAttempts;
    const ageSeconds = recordAgeSeconds(raw[failedAt]!);
    const tooOld = ageSeconds !== undefined && ageSeconds > subscription.maxRecordAgeSeconds;
    if (exhausted || tooOld) {
      // The on-failure destination gets the failing batch; the shard moves on past it.
      const failedRecords = outcome.kind === 'partial' ? records.slice(outcome.firstFailed) : records;
      await opts.deadLetter({
        shardId: opts.shardId,
        startSequenceNumber: failedRecords[0]?.dynamodb?.SequenceNumber ?? '',
        endSequenceNumber: failedRecords[failedRecords.length - 1]?.dynamodb?.SequenceNumber ?? '',
        batchSize: failedRecords.length,
        attempts: failures,
        error:
          tooOld && !exhausted ? `${outcome.error} (record older than maxRecordAgeSeconds)` : outcome.error,
        records: failedRecords.map((r) => ({
          eventID: r.eventID,
          eventName: r.eventName,
          sequenceNumber: r.dynamodb?.SequenceNumber,
          keys: r.dynamodb?.Keys,
        })),
      });
      await commit(raw[lastIndex]!);
      pos = lastIndex + 1;
      segments = segments.slice(1);
      failures = 0;
      failedStart = -1;
      continue;
    }
    if (isStopping()) throw new Stopped();
    await sleep(retryDelayMs, signal);
    if (isStopping()) throw new Stopped();
  }
}

function recordAgeSeconds(record: _Record): number | undefined {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  if (created === undefined) return undefined;
  return (Date.now() - new Date(created).getTime()) / 1000;
}
