/**
 * Shard discovery: the stream's shard list, re-read periodically (shards split, close and get
 * trimmed), and the rule for when a shard may be read.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { errorMessage, sleep } from './util.js';

export interface ShardDiscoveryOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  /** Log prefix, e.g. `[stream:statistics]`. */
  label: string;
  log: (msg: string) => void;
  /** Pause between two reads of the shard list in `runLoop()`. */
  refreshMs: number;
  /** Aborted when the poller stops: ends the loop's pause. */
  signal: AbortSignal;
  isStopping: () => boolean;
  /** Called with every shard list read; runs inside the refresh (a throw fails it). */
  onShards: (shards: ReadonlyMap<string, Shard>) => void;
}

export class ShardDiscovery {
  /** The shard list as last read, by shard id. */
  shards: ReadonlyMap<string, Shard> = new Map();
  /** When the latest successful read of the shard list started (epoch ms; 0: none yet). */
  lastRefreshStartedAt = 0;
  /** The latest read's error ('' once a read succeeds). */
  lastRefreshError = '';

  private readonly opts: ShardDiscoveryOptions;
  private chain: Promise<void> = Promise.resolve();

  constructor(opts: ShardDiscoveryOptions) {
    this.opts = opts;
  }

  /** Re-read the shard list (reads are serialised) and hand it to `onShards`. */
  refresh(): Promise<void> {
    const run = this.chain.then(
      () => this.read(),
      () => this.read(),
    );
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Refresh every `refreshMs` until the poller stops; read errors are logged by `refresh`. */
  async runLoop(): Promise<void> {
    const { refreshMs, signal, isStopping } = this.opts;
    while (!isStopping()) {
      await sleep(refreshMs, signal);
      if (isStopping()) break;
      await this.refresh().catch(() => undefined);
    }
  }

  /** Resolves once the refresh in flight, if any, has ended. */
  async settled(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  private async read(): Promise<void> {
    const { streams, streamArn, label, log, isStopping } = this.opts;
    if (isStopping()) return;
    const startedAt = Date.now();
    try {
      const shards = new Map<string, Shard>();
      let exclusiveStartShardId: string | undefined;
      do {
        const res = await streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        );
        for (const shard of res.StreamDescription?.Shards ?? [])
          if (shard.ShardId) shards.set(shard.ShardId, shard);
        exclusiveStartShardId = res.StreamDescription?.LastEvaluatedShardId;
      } while (exclusiveStartShardId);
      this.shards = shards;
      this.lastRefreshStartedAt = startedAt;
      this.lastRefreshError = '';
      this.opts.onShards(shards);
    } catch (err) {
      const message = errorMessage(err);
      if (message !== this.lastRefreshError) log(`${label} cannot read the stream: ${message}`);
      this.lastRefreshError = message;
      throw err;
    }
  }
}

export interface ShardProgress {
  /** The shard list as last read. */
  shards: ReadonlyMap<string, Shard>;
  /** The shard is closed and fully processed (checkpointed as finished). */
  isFinished: (shardId: string) => boolean;
  /** A worker is reading the shard. */
  isReading: (shardId: string) => boolean;
}

/**
 * Whether `shard` may be read now: it is neither being read nor finished, and it is not a child
 * whose parent still has records to process (ordering per key across a split).
 */
export function mayStartReading(shard: Shard, progress: ShardProgress): boolean {
  const shardId = shard.ShardId;
  if (shardId === undefined || progress.isReading(shardId) || progress.isFinished(shardId)) return false;
  const parent = shard.ParentShardId;
  const parentPending =
    parent !== undefined &&
    !progress.isFinished(parent) &&
    (progress.shards.has(parent) || progress.isReading(parent));
  return !parentPending;
}
