/**
 * The local event source mapping: reads one table's DynamoDB Local stream and calls the stream
 * handler of one StreamSubscription (shared/streams.ts) the way Lambda's DynamoDB event source
 * mapping does — batches of real DynamoDBStreamEvent records, filter criteria on NewImage,
 * batchItemFailures, bisect on error, retries, and an on-failure destination (a dead-letter file).
 *
 * Per shard it keeps a checkpoint (the last fully processed sequence number) in
 * `<stateDir>/checkpoint-<table>-<subscription>.json`, so a restart neither skips nor replays.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from 'aws-lambda';
import type { StreamSubscription } from '../../shared/streams.js';
import { lambdaContext } from './handlers.js';

/** What aws-lambda's DynamoDBStreamHandler returns: a batch response, or nothing. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: same as aws-lambda's DynamoDBStreamHandler
) => Promise<DynamoDBBatchResponse | undefined | void>;

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
}

interface ShardCheckpoint {
  /** Last sequence number fully processed (absent: start at TRIM_HORIZON). */
  sequenceNumber?: string;
  /** The shard is closed and every record of it is processed. */
  finished?: boolean;
}

interface CheckpointFile {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

/** A dead-letter file's content: the on-failure destination of the event source mapping. */
export interface DeadLetter {
  subscription: string;
  tableName: string;
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  attempts: number;
  error: string;
  failedAt: string;
  /**
   * Which records failed — ids, sequence numbers and keys only, never the images (they hold
   * personal data; keys never do). Like the SQS on-failure message on AWS, it tells an operator
   * where to look, not what was written.
   */
  records: DeadLetterRecord[];
}

export interface DeadLetterRecord {
  eventID?: string;
  eventName?: string;
  sequenceNumber?: string;
  keys?: Record<string, LambdaAttributeValue>;
}

const MAX_BUFFERED_RECORDS = 10_000;

class Stopped extends Error {}

export class StreamPoller {
  /** True once `start()` has attached the poller to the stream, until `stop()`. */
  ready = false;

  private readonly opts: StreamPollerOptions;
  private readonly log: (msg: string) => void;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly shardRefreshMs: number;
  private readonly label: string;
  private readonly checkpointPath: string;
  private readonly deadLetterDir: string;

  private dynamo: DynamoDBClient | undefined;
  private streams: DynamoDBStreamsClient | undefined;
  private streamArn = '';
  private awsRegion = 'local';
  private checkpoints: Record<string, ShardCheckpoint> = {};
  private shards = new Map<string, Shard>();
  private readonly workers = new Map<string, ShardWorker>();
  private stopping = false;
  private readonly abort = new AbortController();
  private refreshLoop: Promise<void> | undefined;
  private refreshChain: Promise<void> = Promise.resolve();
  private saveChain: Promise<void> = Promise.resolve();
  private lastRefreshStartedAt = 0;
  private lastRefreshError = '';

  constructor(opts: StreamPollerOptions) {
    this.opts = opts;
    this.log = opts.log ?? (() => undefined);
    this.pollIntervalMs = opts.pollIntervalMs ?? 200;
    this.retryDelayMs = opts.retryDelayMs ?? 1000;
    this.shardRefreshMs = opts.shardRefreshMs ?? 1000;
    this.label = `[stream:${opts.subscription.name}]`;
    this.checkpointPath = join(opts.stateDir, `checkpoint-${opts.tableName}-${opts.subscription.name}.json`);
    this.deadLetterDir = join(opts.stateDir, 'dead-letters');
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
      await mkdir(this.opts.stateDir, { recursive: true });
      await this.loadCheckpoints();
      await this.refreshShards();
    } catch (err) {
      // Leave the poller as it was, so start() can be tried again.
      this.dynamo.destroy();
      this.streams.destroy();
      this.dynamo = undefined;
      this.streams = undefined;
      throw err;
    }
    this.refreshLoop = this.runRefreshLoop();
    this.ready = true;
    this.log(`${this.label} polling ${tableName} (${this.shards.size} shard(s))`);
  }

  /** Stop polling: the batch in flight is finished (and checkpointed) first; failed ones stay for later. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.ready = false;
    this.abort.abort();
    await this.refreshLoop;
    await this.refreshChain.catch(() => undefined);
    await Promise.all([...this.workers.values()].map((w) => w.done));
    await this.saveChain;
    this.streams?.destroy();
    this.dynamo?.destroy();
  }

  /**
   * Resolves once every record that is in the stream now has been processed (handed to the handler
   * and checkpointed, or filtered out, or dead-lettered). Rejects after `timeoutMs`.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    if (!this.ready) throw new Error(`${this.label} drain() needs a started poller`);
    const since = Date.now();
    const deadline = since + timeoutMs;
    for (;;) {
      // A shard list read after `since` (new shards and closures included).
      if (this.lastRefreshStartedAt < since) await this.refreshShards().catch(() => undefined);
      const pending = this.undrainedShards(since);
      if (this.lastRefreshStartedAt >= since && pending.length === 0) return;
      if (this.stopping) throw new Error(`${this.label} stopped while draining`);
      if (Date.now() > deadline) {
        throw new Error(
          `${this.label} drain timed out after ${timeoutMs} ms; shards not caught up: ${pending.join(', ') || '(shard list not refreshed)'}${this.lastRefreshError ? `; last error: ${this.lastRefreshError}` : ''}`,
        );
      }
      await sleep(Math.min(this.pollIntervalMs, 50));
    }
  }

  /** Paths of the dead-letter files in `<stateDir>/dead-letters`, oldest first. */
  async deadLetters(): Promise<string[]> {
    try {
      const names = await readdir(this.deadLetterDir);
      return names
        .filter((n) => n.endsWith('.json'))
        .sort()
        .map((n) => join(this.deadLetterDir, n));
    } catch (err) {
      if (isErrnoException(err) && err.code === 'ENOENT') return [];
      throw err;
    }
  }

  // ---------------------------------------------------------------- shards

  private undrainedShards(since: number): string[] {
    const pending: string[] = [];
    for (const shardId of this.shards.keys()) {
      if (this.checkpoints[shardId]?.finished) continue;
      const worker = this.workers.get(shardId);
      if (!worker || worker.caughtUpAt < since) pending.push(shardId);
    }
    return pending;
  }

  private async runRefreshLoop(): Promise<void> {
    while (!this.stopping) {
      await sleep(this.shardRefreshMs, this.abort.signal);
      if (this.stopping) break;
      await this.refreshShards().catch(() => undefined);
    }
  }

  /** Re-read the shard list (serialised) and start a worker for every shard that may start now. */
  private refreshShards(): Promise<void> {
    const run = this.refreshChain.then(
      () => this.doRefresh(),
      () => this.doRefresh(),
    );
    this.refreshChain = run.catch(() => undefined);
    return run;
  }

  private async doRefresh(): Promise<void> {
    if (this.stopping) return;
    const startedAt = Date.now();
    try {
      const shards = new Map<string, Shard>();
      let exclusiveStartShardId: string | undefined;
      do {
        const res = await this.streams!.send(
          new DescribeStreamCommand({
            StreamArn: this.streamArn,
            ExclusiveStartShardId: exclusiveStartShardId,
          }),
        );
        for (const shard of res.StreamDescription?.Shards ?? [])
          if (shard.ShardId) shards.set(shard.ShardId, shard);
        exclusiveStartShardId = res.StreamDescription?.LastEvaluatedShardId;
      } while (exclusiveStartShardId);
      this.shards = shards;
      this.lastRefreshStartedAt = startedAt;
      this.lastRefreshError = '';
      this.startEligibleWorkers();
      this.pruneCheckpoints();
    } catch (err) {
      const message = errorMessage(err);
      if (message !== this.lastRefreshError) this.log(`${this.label} cannot read the stream: ${message}`);
      this.lastRefreshError = message;
      throw err;
    }
  }

  private startEligibleWorkers(): void {
    if (this.stopping) return;
    for (const [shardId, shard] of this.shards) {
      if (this.workers.has(shardId) || this.checkpoints[shardId]?.finished) continue;
      const parent = shard.ParentShardId;
      // A child shard waits until its parent is read to the end (ordering per key across a split).
      const parentPending =
        parent !== undefined &&
        !this.checkpoints[parent]?.finished &&
        (this.shards.has(parent) || this.workers.has(parent));
      if (parentPending) continue;
      const worker = new ShardWorker(this, shardId, this.checkpoints[shardId]?.sequenceNumber);
      this.workers.set(shardId, worker);
      worker.done = worker.run().finally(() => {
        if (!this.stopping && this.checkpoints[shardId]?.finished) {
          this.workers.delete(shardId);
          this.startEligibleWorkers();
        }
      });
    }
  }

  /** Forget finished shards that have left the stream (trimmed), so the file stays small. */
  private pruneCheckpoints(): void {
    let changed = false;
    for (const shardId of Object.keys(this.checkpoints)) {
      if (this.checkpoints[shardId]?.finished && !this.shards.has(shardId)) {
        delete this.checkpoints[shardId];
        changed = true;
      }
    }
    if (changed) void this.saveCheckpoints().catch(() => undefined);
  }

  // ---------------------------------------------------------------- checkpoints

  private async loadCheckpoints(): Promise<void> {
    let file: CheckpointFile | undefined;
    try {
      file = JSON.parse(await readFile(this.checkpointPath, 'utf8')) as CheckpointFile;
    } catch (err) {
      if (!(isErrnoException(err) && err.code === 'ENOENT')) {
        this.log(`${this.label} ignoring unreadable checkpoint ${this.checkpointPath}: ${errorMessage(err)}`);
      }
    }
    if (
      file &&
      file.streamArn === this.streamArn &&
      typeof file.shards === 'object' &&
      file.shards !== null
    ) {
      this.checkpoints = file.shards;
    } else {
      if (file) this.log(`${this.label} the table has a new stream; starting it from TRIM_HORIZON`);
      this.checkpoints = {};
    }
  }

  /** Atomic write (temp file + rename), serialised. */
  private saveCheckpoints(): Promise<void> {
    const content = `${JSON.stringify({ streamArn: this.streamArn, shards: this.checkpoints } satisfies CheckpointFile, null, 2)}\n`;
    const run = this.saveChain.then(async () => {
      const tmp = `${this.checkpointPath}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, content);
      await rename(tmp, this.checkpointPath);
    });
    this.saveChain = run.catch((err) =>
      this.log(`${this.label} cannot write checkpoint: ${errorMessage(err)}`),
    );
    return run;
  }

  /** @internal for ShardWorker */
  async checkpoint(shardId: string, update: ShardCheckpoint): Promise<void> {
    this.checkpoints[shardId] = { ...this.checkpoints[shardId], ...update };
    await this.saveCheckpoints();
  }

  // ---------------------------------------------------------------- worker plumbing

  /** @internal */
  get ctx() {
    return {
      streams: this.streams!,
      streamArn: this.streamArn,
      subscription: this.opts.subscription,
      log: this.log,
      label: this.label,
      pollIntervalMs: this.pollIntervalMs,
      retryDelayMs: this.retryDelayMs,
      signal: this.abort.signal,
    };
  }

  /** @internal */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** @internal */
  toLambdaRecord(record: _Record): DynamoDBRecord {
    const sr = record.dynamodb ?? {};
    const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {};
    if (sr.ApproximateCreationDateTime !== undefined) {
      dynamodb.ApproximateCreationDateTime = Math.floor(
        new Date(sr.ApproximateCreationDateTime).getTime() / 1000,
      );
    }
    if (sr.Keys) dynamodb.Keys = toLambdaImage(sr.Keys);
    if (sr.NewImage) dynamodb.NewImage = toLambdaImage(sr.NewImage);
    if (sr.OldImage) dynamodb.OldImage = toLambdaImage(sr.OldImage);
    if (sr.SequenceNumber !== undefined) dynamodb.SequenceNumber = sr.SequenceNumber;
    if (sr.SizeBytes !== undefined) dynamodb.SizeBytes = sr.SizeBytes;
    if (sr.StreamViewType !== undefined) dynamodb.StreamViewType = sr.StreamViewType;
    const out: DynamoDBRecord = {
      eventID: record.eventID ?? randomUUID(),
      eventName: record.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.awsRegion,
      dynamodb,
      eventSourceARN: this.streamArn,
    };
    if (record.userIdentity?.Type || record.userIdentity?.PrincipalId) {
      out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
    }
    return out;
  }

  /** @internal Invoke the handler; the outcome as the event source mapping sees it. */
  async invoke(records: DynamoDBRecord[]): Promise<InvokeOutcome> {
    const event: DynamoDBStreamEvent = { Records: records };
    const context = lambdaContext(this.opts.functionName ?? `local-${this.opts.subscription.name}`, 900);
    let result: unknown;
    try {
      result = await this.opts.handler(event, context);
    } catch (err) {
      return { kind: 'error', error: errorMessage(err) };
    }
    return interpretResponse(result, records);
  }

  /** @internal */
  async writeDeadLetter(letter: Omit<DeadLetter, 'subscription' | 'tableName' | 'streamArn' | 'failedAt'>) {
    await mkdir(this.deadLetterDir, { recursive: true });
    const failedAt = new Date();
    const name = `${failedAt.toISOString().replace(/[:.]/g, '-')}-${letter.shardId}.json`;
    let path = join(this.deadLetterDir, name);
    const body: DeadLetter = {
      subscription: this.opts.subscription.name,
      tableName: this.opts.tableName,
      streamArn: this.streamArn,
      failedAt: failedAt.toISOString(),
      ...letter,
    };
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`);
    // Two letters of one shard in the same millisecond: keep both.
    if ((await readdir(this.deadLetterDir)).includes(name))
      path = path.replace(/\.json$/, `-${randomUUID()}.json`);
    await rename(tmp, path);
    this.log(
      `${this.label} DEAD LETTER: ${letter.batchSize} record(s) of ${letter.shardId} (seq ${letter.startSequenceNumber}..${letter.endSequenceNumber}) skipped after ${letter.attempts} attempt(s): ${firstLine(letter.error)} -> ${path}`,
    );
    return path;
  }
}

type InvokeOutcome =
  | { kind: 'ok' }
  /** Index (in the invoked records) of the lowest failed record. */
  | { kind: 'partial'; firstFailed: number; error: string }
  | { kind: 'error'; error: string };

/** What Lambda makes of a stream handler's response (ReportBatchItemFailures). */
function interpretResponse(result: unknown, records: DynamoDBRecord[]): InvokeOutcome {
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

/** Lambda filter criteria on NewImage: some filter whose every attribute's S value is listed. */
export function matchesFilters(
  newImage: Readonly<Record<string, AttributeValue | LambdaAttributeValue>> | undefined,
  filters: StreamSubscription['filters'],
): boolean {
  if (filters.length === 0) return true;
  if (!newImage) return false;
  return filters.some((filter) =>
    Object.entries(filter).every(([attribute, values]) => {
      const s = (newImage[attribute] as { S?: unknown } | undefined)?.S;
      return typeof s === 'string' && values.includes(s);
    }),
  );
}

function toLambdaImage(image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> {
  const out: Record<string, LambdaAttributeValue> = {};
  for (const [k, v] of Object.entries(image)) out[k] = toLambdaValue(v);
  return out;
}

/** SDK attribute values as Lambda delivers them in JSON (binary as base64). */
function toLambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  return { NULL: true }; // no other DynamoDB types exist
}

/** Reads one shard in order and feeds batches through the handler. */
class ShardWorker {
  /** Start of the latest GetRecords call that found nothing new while nothing was left to process. */
  caughtUpAt = 0;
  done: Promise<void> = Promise.resolve();

  private iterator: string | undefined;
  private buffer: _Record[] = [];
  private matched: boolean[] = [];
  /** Last sequence number read from the stream (for re-creating an expired iterator). */
  private lastRead: string | undefined;
  private windowStart: number | undefined;

  constructor(
    private readonly poller: StreamPoller,
    private readonly shardId: string,
    startAfter: string | undefined,
  ) {
    this.lastRead = startAfter;
  }

  async run(): Promise<void> {
    const { log, label } = this.poller.ctx;
    let lastError = '';
    while (!this.poller.isStopping) {
      try {
        const finished = await this.step();
        lastError = '';
        if (finished) {
          await this.poller.checkpoint(this.shardId, { finished: true });
          return;
        }
      } catch (err) {
        if (err instanceof Stopped) return;
        const message = errorMessage(err);
        if (message !== lastError) log(`${label} shard ${this.shardId}: ${message}`);
        lastError = message;
        this.iterator = undefined; // get a fresh one after the last record read
        await sleep(Math.max(this.poller.ctx.pollIntervalMs, 500), this.poller.ctx.signal);
      }
    }
  }

  private async getIterator(): Promise<string | undefined> {
    const { streams, streamArn, log, label } = this.poller.ctx;
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
    const { streams, subscription, pollIntervalMs, signal } = this.poller.ctx;
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
      if (this.poller.isStopping && this.buffer.length > 0) throw new Stopped();
    }
    return true;
  }

  /** Take one batch (up to batchSize matching records) off the buffer and process it. */
  private async dispatch(): Promise<void> {
    const { batchSize } = this.poller.ctx.subscription;
    let end = this.buffer.length; // exclusive
    let count = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      if (this.matched[i]) count++;
      if (count === batchSize) {
        end = i + 1;
        break;
      }
    }
    const raw = this.buffer.slice(0, end);
    const matched = this.matched.slice(0, end);
    await this.processBatch(raw, matched);
    this.buffer = this.buffer.slice(end);
    this.matched = this.matched.slice(end);
    this.windowStart = this.matched.some(Boolean) ? Date.now() : undefined;
  }

  /**
   * The event source mapping's retry loop for one batch: partial failures retry from the first
   * failed record, errors bisect (if enabled), exhausted retries go to a dead letter.
   */
  private async processBatch(raw: _Record[], matched: boolean[]): Promise<void> {
    const { subscription, retryDelayMs, signal } = this.poller.ctx;
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
        await this.commit(raw[raw.length - 1]!);
        return;
      }
      const take = indexes.slice(0, Math.max(1, segments[0] ?? indexes.length));
      const lastIndex = take[take.length - 1]!;
      const records = take.map((i) => this.poller.toLambdaRecord(raw[i]!));
      const outcome = await this.poller.invoke(records);

      if (outcome.kind === 'ok') {
        await this.commit(raw[lastIndex]!);
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
        if (failedAt > pos) await this.commit(raw[failedAt - 1]!);
        segments = [take.length - outcome.firstFailed, ...segments.slice(1)];
      } else if (subscription.bisectBatchOnError && take.length > 1) {
        // Split, then retry each half on its own; splitting does not count as a retry.
        const first = Math.ceil(take.length / 2);
        segments = [first, take.length - first, ...segments.slice(1)];
        if (this.poller.isStopping) throw new Stopped();
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
        await this.poller.writeDeadLetter({
          shardId: this.shardId,
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
        await this.commit(raw[lastIndex]!);
        pos = lastIndex + 1;
        segments = segments.slice(1);
        failures = 0;
        failedStart = -1;
        continue;
      }
      if (this.poller.isStopping) throw new Stopped();
      await sleep(retryDelayMs, signal);
      if (this.poller.isStopping) throw new Stopped();
    }
  }

  private async commit(record: _Record): Promise<void> {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (sequenceNumber) await this.poller.checkpoint(this.shardId, { sequenceNumber });
  }
}

function recordAgeSeconds(record: _Record): number | undefined {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  if (created === undefined) return undefined;
  return (Date.now() - new Date(created).getTime()) / 1000;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function isErrnoException(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && 'code' in err;
}
