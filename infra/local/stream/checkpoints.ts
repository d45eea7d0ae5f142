/**
 * Per-shard checkpoints of one subscription on one table's stream, kept in a JSON file so a
 * restarted poller neither skips nor replays records.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { errorMessage, isErrnoException } from './util.js';

export interface ShardCheckpoint {
  /** Last sequence number fully processed (absent: start at TRIM_HORIZON). */
  sequenceNumber?: string;
  /** The shard is closed and every record of it is processed. */
  finished?: boolean;
}

interface CheckpointFile {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

export interface CheckpointStoreOptions {
  /** The checkpoint file. */
  path: string;
  /** Log prefix, e.g. `[stream:statistics]`. */
  label: string;
  log: (msg: string) => void;
}

export class CheckpointStore {
  private readonly path: string;
  private readonly label: string;
  private readonly log: (msg: string) => void;
  private streamArn = '';
  private shards: Record<string, ShardCheckpoint> = {};
  private saveChain: Promise<void> = Promise.resolve();

  constructor(opts: CheckpointStoreOptions) {
    this.path = opts.path;
    this.label = opts.label;
    this.log = opts.log;
  }

  /**
   * Read the file. Checkpoints of another stream (the table was re-created or its stream
   * re-enabled) or an unreadable file are dropped: every shard starts at TRIM_HORIZON.
   */
  async load(streamArn: string): Promise<void> {
    this.streamArn = streamArn;
    let file: CheckpointFile | undefined;
    try {
      file = JSON.parse(await readFile(this.path, 'utf8')) as CheckpointFile;
    } catch (err) {
      if (!(isErrnoException(err) && err.code === 'ENOENT')) {
        this.log(`${this.label} ignoring unreadable checkpoint ${this.path}: ${errorMessage(err)}`);
      }
    }
    if (file && file.streamArn === streamArn && typeof file.shards === 'object' && file.shards !== null) {
      this.shards = file.shards;
    } else {
      if (file) this.log(`${this.label} the table has a new stream; starting it from TRIM_HORIZON`);
      this.shards = {};
    }
  }

  /** Last sequence number fully processed in the shard, if any. */
  sequenceNumber(shardId: string): string | undefined {
    return this.shards[shardId]?.sequenceNumber;
  }

  isFinished(shardId: string): boolean {
    return this.shards[shardId]?.finished === true;
  }

  /** Record progress in a shard and write the file; resolves once written. */
  async update(shardId: string, update: ShardCheckpoint): Promise<void> {
    this.shards[shardId] = { ...this.shards[shardId], ...update };
    await this.save();
  }

  /** Forget finished shards that have left the stream (trimmed), so the file stays small. */
  prune(liveShards: { has(shardId: string): boolean }): void {
    let changed = false;
    for (const shardId of Object.keys(this.shards)) {
      if (this.shards[shardId]?.finished && !liveShards.has(shardId)) {
        delete this.shards[shardId];
        changed = true;
      }
    }
    if (changed) void this.save().catch(() => undefined);
  }

  /** Resolves once every write started so far has ended (failures are logged, not thrown). */
  flushed(): Promise<void> {
    return this.saveChain;
  }

  /** Atomic write (temp file + rename), serialised. */
  private save(): Promise<void> {
    const content = `${JSON.stringify({ streamArn: this.streamArn, shards: this.shards } satisfies CheckpointFile, null, 2)}\n`;
    const run = this.saveChain.then(async () => {
      const tmp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, content);
      await rename(tmp, this.path);
    });
    this.saveChain = run.catch((err) =>
      this.log(`${this.label} cannot write checkpoint: ${errorMessage(err)}`),
    );
    return run;
  }
}
