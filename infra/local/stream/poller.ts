/**
 * The local event source mapping: reads one table's DynamoDB Local stream and calls the stream
 * handler of one StreamSubscription (shared/app (streamSubscriptions)) the way Lambda's DynamoDB event source
 * mapping does — batches of real DynamoDBStreamEvent records, filter criteria on NewImage,
 * batchItemFailures, bisect on error, retries, and an on-failure destination (a dead-letter file).
 *
 * Per shard it keeps a checkpoint (the last fully processed sequence number) in
 * `<stateDir>/checkpoint-<table>-<subscription>.json`, so a restart neither skips nor replays.
 *
 * This file composes the parts: discovery.ts (shard list), shard-worker.ts (reading and
 * batching), delivery.ts (invoke, retry, bisect, dead letters), checkpoints.ts, dead-letters.ts.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { StreamSubscription } from '../../../shared/platform/module.js';
import { CheckpointStore } from './checkpoints.js';
import { DeadLetterStore } from './dead-letters.js';
import { type BatchDeliveryOptions, deliverBatch, type StreamHandler } from './delivery.js';
import { mayStartReading, ShardDiscovery } from './discovery.js';
import { ShardWorker } from './shard-worker.js';
import { sleep } from './util.js';

export interface StreamPollerOptions {
  dynamoEndpoint: string;
  tableName: string;
  subscription: StreamSubscription;
  handler: StreamHandler;
  /** Directory for the checkpoint file and `dead-letters/`. */
  stateDir: string;
  log?: (msg: string) => void;
  /** How often a caught-up shard asks for new records (default 200 ms). */
  pollIntervalMs?: number;
  /** Pause before retrying a failed batch (default 1000 ms). */
  retryDelayMs?: number;
  /** How often the shard list is refreshed (default 1000 ms). */
  shardRefreshMs?: number;
  /** Function name in the Lambda context (default `local-<subscription name>`). */
  functionName?: string;
  /** The subscription's timeout multiplied by this (default 1; test stacks only). */
  timeoutFactor?: number;
}

export class StreamPoller {
  /** True once `start()` has attached the poller to the stream, until `stop()`. */
  ready = false;

  private readonly opts: StreamPollerOptions;
  private readonly log: (msg: string) => void;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly shardRefreshMs: number;
  private readonly label: string;
  private readonly checkpoints: CheckpointStore;
  private readonly deadLetterStore: DeadLetterStore;

  private dynamo: DynamoDBClient | undefined;
  private streams: DynamoDBStreamsClient | undefined;
  private discovery: ShardDiscovery | undefined;
  private streamArn = '';
  private awsRegion = 'local';
  private readonly workers = new Map<string, ShardWorker>();
  private stopping = false;
  private readonly abort = new AbortController();
  private refreshLoop: Promise<void> | undefined;

  constructor(opts: StreamPollerOptions) {
    this.opts = opts;
    this.log = opts.log ?? (() => undefined);
    this.pollIntervalMs = opts.pollIntervalMs ?? 200;
    this.retryDelayMs = opts.retryDelayMs ?? 1000;
    this.shardRefreshMs = opts.shardRefreshMs ?? 1000;
    this.label = `[stream:${opts.subscription.name}]`;
    this.checkpoints = new CheckpointStore({
      path: join(opts.stateDir, `checkpoint-${opts.tableName}-${opts.subscription.name}.json`),
      label: this.label,
      log: this.log,
    });
    this.deadLetterStore = new DeadLetterStore({
      dir: join(opts.stateDir, 'dead-letters'),
      label: this.label,
      log: this.log,
    });
  }

  /** Attach to the table's latest stream and start polling; resolves once the poller is running. */
  async start(): Promise<void> {
    if (this.dynamo) throw new Error(`${this.label} already started`);
    const { dynamoEndpoint, tableName } = this.opts;
    const clientConfig = {
      endpoint: dynamoEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    };
    this.dynamo = new DynamoDBClient(clientConfig);
    this.streams = new DynamoDBStreamsClient(clientConfig);
    try {
      const table = (await this.dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table;
      if (!table?.LatestStreamArn || table.StreamSpecification?.StreamEnabled === false) {
        throw new Error(`${this.label} table ${tableName} has no stream`);
      }
      this.streamArn = table.LatestStreamArn;
      this.awsRegion = this.streamArn.split(':')[3] || 'local';
      this.discovery = new ShardDiscovery({
        streams: this.streams,
        streamArn: this.streamArn,
        label: this.label,
        log: this.log,
        refreshMs: this.shardRefreshMs,
        signal: this.abort.signal,
        isStopping: () => this.stopping,
        onShards: (shards) => {
          this.startEligibleWorkers();
          this.checkpoints.prune(shards);
        },
      });
      await mkdir(this.opts.stateDir, { recursive: true });
      await this.checkpoints.load(this.streamArn);
      await this.discovery.refresh();
    } catch (err) {
      // Leave the poller as it was, so start() can be tried again.
      this.dynamo.destroy();
      this.streams.destroy();
      this.dynamo = undefined;
      this.streams = undefined;
      this.discovery = undefined;
      throw err;
    }
    this.refreshLoop = this.discovery.runLoop();
    this.ready = true;
    this.log(`${this.label} polling ${tableName} (${this.discovery.shards.size} shard(s))`);
  }

  /** Stop polling: the batch in flight is finished (and checkpointed) first; failed ones stay for later. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.ready = false;
    this.abort.abort();
    await this.refreshLoop;
    await this.discovery?.settled();
    await Promise.all([...this.workers.values()].map((w) => w.done));
    await this.checkpoints.flushed();
    this.streams?.destroy();
    this.dynamo?.destroy();
  }

  /**
   * Resolves once every record that is in the stream now has been processed (handed to the handler
   * and checkpointed, or filtered out, or dead-lettered). Rejects after `timeoutMs`.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    const discovery = this.discovery;
    if (!this.ready || !discovery) throw new Error(`${this.label} drain() needs a started poller`);
    const since = Date.now();
    const deadline = since + timeoutMs;
    for (;;) {
      // A shard list read after `since` (new shards and closures included).
      if (discovery.lastRefreshStartedAt < since) await discovery.refresh().catch(() => undefined);
      const pending = this.undrainedShards(since);
      if (discovery.lastRefreshStartedAt >= since && pending.length === 0) return;
      if (this.stopping) throw new Error(`${this.label} stopped while draining`);
      if (Date.now() > deadline) {
        const lastError = discovery.lastRefreshError;
        throw new Error(
          `${this.label} drain timed out after ${timeoutMs} ms; shards not caught up: ${pending.join(', ') || '(shard list not refreshed)'}${lastError ? `; last error: ${lastError}` : ''}`,
        );
      }
      await sleep(Math.min(this.pollIntervalMs, 50));
    }
  }

  /** Paths of the dead-letter files in `<stateDir>/dead-letters`, oldest first. */
  deadLetters(): Promise<string[]> {
    return this.deadLetterStore.list();
  }

  private undrainedShards(since: number): string[] {
    const pending: string[] = [];
    for (const shardId of this.discovery?.shards.keys() ?? []) {
      if (this.checkpoints.isFinished(shardId)) continue;
      const worker = this.workers.get(shardId);
      if (!worker || worker.caughtUpAt < since) pending.push(shardId);
    }
    return pending;
  }

  /** Start a worker for every shard that may be read now (see `mayStartReading`). */
  private startEligibleWorkers(): void {
    if (this.stopping || !this.discovery) return;
    const progress = {
      shards: this.discovery.shards,
      isFinished: (id: string) => this.checkpoints.isFinished(id),
      isReading: (id: string) => this.workers.has(id),
    };
    for (const [shardId, shard] of this.discovery.shards) {
      if (!mayStartReading(shard, progress)) continue;
      const worker = this.newWorker(shardId);
      this.workers.set(shardId, worker);
      worker.done = worker.run().finally(() => {
        if (!this.stopping && this.checkpoints.isFinished(shardId)) {
          this.workers.delete(shardId);
          this.startEligibleWorkers();
        }
      });
    }
  }

  private newWorker(shardId: string): ShardWorker {
    const { subscription, tableName, handler } = this.opts;
    const streamArn = this.streamArn;
    const signal = this.abort.signal;
    const isStopping = () => this.stopping;
    const delivery: BatchDeliveryOptions = {
      shardId,
      source: { streamArn, awsRegion: this.awsRegion },
      subscription,
      handler,
      functionName: this.opts.functionName ?? `local-${subscription.name}`,
      timeoutSeconds: subscription.timeoutSeconds * (this.opts.timeoutFactor ?? 1),
      retryDelayMs: this.retryDelayMs,
      signal,
      isStopping,
      checkpoint: (sequenceNumber) => this.checkpoints.update(shardId, { sequenceNumber }),
      deadLetter: (letter) =>
        this.deadLetterStore.write({ subscription: subscription.name, tableName, streamArn, ...letter }),
    };
    return new ShardWorker({
      shardId,
      startAfter: this.checkpoints.sequenceNumber(shardId),
      streams: this.streams!,
      streamArn,
      subscription,
      label: this.label,
      log: this.log,
      pollIntervalMs: this.pollIntervalMs,
      signal,
      isStopping,
      deliver: (batch) => deliverBatch(batch, delivery),
      markFinished: () => this.checkpoints.update(shardId, { finished: true }),
    });
  }
}
