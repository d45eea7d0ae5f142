/**
 * Reads one shard in order, filters and buffers its records, and hands them on in batches
 * (batchSize, maxBatchingWindowSeconds) until the shard is closed and fully processed.
 */
import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamSubscription } from '../../../shared/platform/module.js';
import type { BufferedBatch } from './delivery.js';
import { matchesFilters } from './filters.js';
import { errorMessage, Stopped, sleep } from './util.js';

const MAX_BUFFERED_RECORDS = 10_000;

export interface ShardWorkerOptions {
  shardId: string;
  /** Last sequence number already processed (absent: start at TRIM_HORIZON). */
  startAfter: string | undefined;
  streams: DynamoDBStreamsClient;
  streamArn: string;
  subscription: Pick<StreamSubscription, 'batchSize' | 'maxBatchingWindowSeconds' | 'filters'>;
  /** Log prefix, e.g. `[stream:statistics]`. */
  label: string;
  log: (msg: string) => void;
  /** How often a caught-up shard asks for new records. */
  pollIntervalMs: number;
  /** Aborted when the poller stops: cuts waits short. */
  signal: AbortSignal;
  isStopping: () => boolean;
  /** Process one batch (records and filter marks) and checkpoint it; may throw `Stopped`. */
  deliver: (batch: BufferedBatch) => Promise<void>;
  /** Record that the shard is closed and every record of it is processed. */
  markFinished: () => Promise<void>;
}

export class ShardWorker {
  /** Start of the latest GetRecords call that found nothing new while nothing was left to process. */
  caughtUpAt = 0;
  done: Promise<void> = Promise.resolve();

  private readonly opts: ShardWorkerOptions;
  private readonly shardId: string;
  private iterator: string | undefined;
  private buffer: _Record[] = [];
  private matched: boolean[] = [];
  /** Last sequence number read from the stream (for re-creating an expired iterator). */
  private lastRead: string | undefined;
  private windowStart: number | undefined;

  constructor(opts: ShardWorkerOptions) {
    this.opts = opts;
    this.shardId = opts.shardId;
    this.lastRead = opts.startAfter;
  }

  /** Read the shard until it is finished (resolves) or the poller stops; never rejects. */
  async run(): Promise<void> {
    const { log, label, isStopping, pollIntervalMs, signal } = this.opts;
    let lastError = '';
    while (!isStopping()) {
      try {
        const finished = await this.step();
        lastError = '';
        if (finished) {
          await this.opts.markFinished();
          return;
        }
      } catch (err) {
        if (err instanceof Stopped) return;
        const message = errorMessage(err);
        if (message !== lastError) log(`${label} shard ${this.shardId}: ${message}`);
        lastError = message;
        this.iterator = undefined; // get a fresh one after the last record read
        await sleep(Math.max(pollIntervalMs, 500), signal);
      }
    }
  }

  private async getIterator(): Promise<string | undefined> {
    const { streams, streamArn, log, label } = this.opts;
    const from = this.lastRead;
    const type: ShardIteratorType = from ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON';
    try {
      const res = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: this.shardId,
          ShardIteratorType: type,
          SequenceNumber: from,
        }),
      );
      return res.ShardIterator;
    } catch (err) {
      if (from && err instanceof Error && err.name === 'TrimmedDataAccessException') {
        log(`${label} shard ${this.shardId}: records after ${from} were trimmed; continuing at TRIM_HORIZON`);
        this.lastRead = undefined;
        return this.getIterator();
      }
      throw err;
    }
  }

  private matchingCount(): number {
    return this.matched.filter(Boolean).length;
  }

  /** One read-and-maybe-dispatch step; true when the shard is closed and fully processed. */
  private async step(): Promise<boolean> {
    const { streams, subscription, pollIntervalMs, signal } = this.opts;
    if (this.iterator === undefined) {
      this.iterator = await this.getIterator();
      if (this.iterator === undefined) return this.dispatchAll();
    }

    let empty = false;
    let closed = false;
    if (this.matchingCount() < subscription.batchSize && this.buffer.length < MAX_BUFFERED_RECORDS) {
      const readStartedAt = Date.now();
      let res: GetRecordsCommandOutput;
      try {
        res = await streams.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: 1000 }));
      } catch (err) {
        if (err instanceof Error && err.name === 'ExpiredIteratorException') {
          this.iterator = undefined;
          return false;
        }
        throw err;
      }
      const records = res.Records ?? [];
      for (const record of records) {
        const isMatch = matchesFilters(record.dynamodb?.NewImage, subscription.filters);
        this.buffer.push(record);
        this.matched.push(isMatch);
        if (isMatch && this.windowStart === undefined) this.windowStart = Date.now();
        if (record.dynamodb?.SequenceNumber) this.lastRead = record.dynamodb.SequenceNumber;
      }
      const next = res.NextShardIterator;
      empty = records.length === 0;
      if (next) this.iterator = next;
      else closed = true;
      if (empty && this.buffer.length === 0) this.caughtUpAt = readStartedAt;
    }

    if (this.buffer.length > 0) {
      const windowMs = subscription.maxBatchingWindowSeconds * 1000;
      const matching = this.matchingCount();
      const full = matching >= subscription.batchSize || this.buffer.length >= MAX_BUFFERED_RECORDS;
      const windowDone = this.windowStart !== undefined && Date.now() - this.windowStart >= windowMs;
      const caughtUp = empty || closed;
      if (full || closed || windowDone || (caughtUp && matching === 0)) {
        await this.dispatch();
        if (closed) return this.dispatchAll();
        return false;
      }
      if (empty && this.windowStart !== undefined) {
        await sleep(Math.min(pollIntervalMs, windowMs - (Date.now() - this.windowStart)), signal);
        return false;
      }
    }
    if (closed) return true;
    if (empty) await sleep(pollIntervalMs, signal);
    return false;
  }

  /** Process everything buffered (the shard is closed). */
  private async dispatchAll(): Promise<boolean> {
    while (this.buffer.length > 0) {
      await this.dispatch();
      if (this.opts.isStopping() && this.buffer.length > 0) throw new Stopped();
    }
    return true;
  }

  /** Take one batch (up to batchSize matching records) off the buffer and process it. */
  private async dispatch(): Promise<void> {
    const { batchSize } = this.opts.subscription;
    let end = this.buffer.length; // exclusive
    let count = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      if (this.matched[i]) count++;
      if (count === batchSize) {
        end = i + 1;
        break;
      }
    }
    await this.opts.deliver({ records: this.buffer.slice(0, end), matched: this.matched.slice(0, end) });
    this.buffer = this.buffer.slice(end);
    this.matched = this.matched.slice(end);
    this.windowStart = this.matched.some(Boolean) ? Date.now() : undefined;
  }
}
