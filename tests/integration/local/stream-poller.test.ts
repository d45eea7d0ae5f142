import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../../infra/local/dynamodb.js';
import type { DeadLetter } from '../../../infra/local/stream/dead-letters.js';
import type { StreamHandler } from '../../../infra/local/stream/delivery.js';
import { StreamPoller } from '../../../infra/local/stream/poller.js';
import { registryTable } from '../../../shared/app/index.js';
import type { StreamSubscription } from '../../../shared/platform/module.js';
import { testDynamoClient, testEndpoint, uniqueTableName } from '../support/dynamo.js';

/** The statistics subscription's shape, tuned so the file runs in seconds. */
const baseSubscription: StreamSubscription = {
  name: 'test',
  entry: 'unused',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  timeoutSeconds: 60,
  retryAttempts: 2,
  maxRecordAgeSeconds: 3600,
  bisectBatchOnError: true,
  filters: [],
};

let client: DynamoDBClient;
let stateRoot: string;
const pollers: StreamPoller[] = [];

beforeAll(async () => {
  client = testDynamoClient();
  stateRoot = await mkdtemp(join(tmpdir(), 'stream-poller-test-'));
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  client.destroy();
  await rm(stateRoot, { recursive: true, force: true });
});

async function freshTable(): Promise<string> {
  const name = uniqueTableName(registryTable.name, 'poller');
  await ensureTables(client, [registryTable], { [registryTable.name]: name });
  return name;
}

interface Harness {
  table: string;
  stateDir: string;
  batches: DynamoDBRecord[][];
  logs: string[];
  poller: StreamPoller;
}

let stateDirCount = 0;

function makePoller(
  table: string,
  handler: StreamHandler,
  subscription: Partial<StreamSubscription> = {},
  stateDir = join(stateRoot, `state-${++stateDirCount}`),
): Harness {
  const batches: DynamoDBRecord[][] = [];
  const logs: string[] = [];
  const poller = new StreamPoller({
    dynamoEndpoint: testEndpoint(),
    tableName: table,
    subscription: { ...baseSubscription, ...subscription },
    handler: async (event, context) => {
      batches.push(event.Records);
      return handler(event, context);
    },
    stateDir,
    log: (msg) => logs.push(msg),
    pollIntervalMs: 20,
    retryDelayMs: 10,
    shardRefreshMs: 100,
  });
  pollers.push(poller);
  return { table, stateDir, batches, logs, poller };
}

const ok: StreamHandler = async () => undefined;

async function put(
  table: string,
  n: number,
  extra: Record<string, string> = { entity: 'person' },
): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: {
        pk: { S: `P#${String(n).padStart(4, '0')}` },
        sk: { S: 'PERSON' },
        n: { N: String(n) },
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { S: v }])),
      },
    }),
  );
}

async function putMany(table: string, from: number, to: number): Promise<void> {
  for (let start = from; start <= to; start += 25) {
    const items = [];
    for (let n = start; n <= Math.min(to, start + 24); n++) {
      items.push({
        PutRequest: {
          Item: {
            pk: { S: `P#${String(n).padStart(4, '0')}` },
            sk: { S: 'PERSON' },
            n: { N: String(n) },
            entity: { S: 'person' },
          },
        },
      });
    }
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items } }));
  }
}

const numbers = (records: DynamoDBRecord[]): number[] =>
  records.map((r) => Number(r.dynamodb?.NewImage?.n?.N));
/** Dead letters carry keys only: the record number is in the key `P#000n`. */
const keyNumbers = (records: DeadLetter['records']): number[] =>
  records.map((r) => Number(r.keys?.pk?.S?.slice(2)));

describe('StreamPoller', () => {
  it('delivers real DynamoDBStreamEvents, in order', async () => {
    const table = await freshTable();
    const { poller, batches } = makePoller(table, ok);
    await poller.start();
    expect(poller.ready).toBe(true);

    await put(table, 1);
    await put(table, 2);
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'P#0001' }, sk: { S: 'PERSON' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '11' } },
      }),
    );
    await client.send(
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'P#0002' }, sk: { S: 'PERSON' } } }),
    );
    await poller.drain(10_000);

    const records = batches.flat();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY', 'REMOVE']);
    const streamArn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table
      ?.LatestStreamArn;
    const nowSeconds = Date.now() / 1000;
    for (const record of records) {
      expect(record).toMatchObject({
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        eventSourceARN: streamArn,
        awsRegion: expect.any(String),
        eventID: expect.any(String),
      });
      expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      expect(record.dynamodb?.SizeBytes).toBeGreaterThan(0);
      expect(record.dynamodb?.ApproximateCreationDateTime).toBeTypeOf('number');
      expect(Math.abs(record.dynamodb!.ApproximateCreationDateTime! - nowSeconds)).toBeLessThan(120);
    }
    const [insert, , modify, remove] = records;
    expect(insert?.dynamodb?.Keys).toEqual({ pk: { S: 'P#0001' }, sk: { S: 'PERSON' } });
    expect(insert?.dynamodb?.NewImage).toMatchObject({ n: { N: '1' }, entity: { S: 'person' } });
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.OldImage?.n).toEqual({ N: '1' });
    expect(modify?.dynamodb?.NewImage?.n).toEqual({ N: '11' });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
    expect(remove?.dynamodb?.OldImage?.n).toEqual({ N: '2' });
    const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
  });

  it('drops records that match no filter, like Lambda filter criteria', async () => {
    const table = await freshTable();
    const { poller, batches, stateDir } = makePoller(table, ok, {
      filters: [{ entity: ['person'] }, { entity: ['history'], action: ['verified'] }],
    });
    await put(table, 1, { entity: 'person' });
    await put(table, 2, { entity: 'history', action: 'verified' });
    await put(table, 3, { entity: 'history', action: 'registered' });
    await put(table, 4, { entity: 'grid' });
    await put(table, 5, {});
    await put(table, 6, { entity: 'person', action: 'anything' });
    await client.send(
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'P#0001' }, sk: { S: 'PERSON' } } }),
    );
    await put(table, 7, { entity: 'grid' });
    await poller.start();
    await poller.drain(10_000);
    expect(numbers(batches.flat())).toEqual([1, 2, 6]);

    // The dropped records count as processed: a restarted poller has nothing left to deliver.
    await poller.stop();
    const again = makePoller(table, ok, { filters: [{ entity: ['person'] }] }, stateDir);
    await again.poller.start();
    await again.poller.drain(10_000);
    expect(again.batches).toEqual([]);
  });

  it('respects batchSize', async () => {
    const table = await freshTable();
    await putMany(table, 1, 25);
    const { poller, batches } = makePoller(table, ok, { batchSize: 10, maxBatchingWindowSeconds: 0 });
    await poller.start();
    await poller.drain(10_000);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(numbers(batches.flat())).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('waits up to maxBatchingWindowSeconds to fill a batch', async () => {
    const table = await freshTable();
    const { poller, batches } = makePoller(table, ok, { batchSize: 100, maxBatchingWindowSeconds: 1 });
    await poller.start();
    for (let n = 1; n <= 5; n++) await put(table, n);
    await poller.drain(10_000);
    // Five quick writes inside one window make one batch.
    expect(batches.map((b) => b.length)).toEqual([5]);
  });

  it('retries from the first record named in batchItemFailures; earlier ones are not redelivered', async () => {
    const table = await freshTable();
    await putMany(table, 1, 6);
    let failed = false;
    const { poller, batches, stateDir } = makePoller(table, async (event): Promise<DynamoDBBatchResponse> => {
      const failures = [];
      if (!failed) {
        // Fail records 3 and 5 once; 4 and 6 succeeded but come after the first failure.
        for (const r of event.Records) {
          const n = Number(r.dynamodb?.NewImage?.n?.N);
          if (n === 5 || n === 3) failures.push({ itemIdentifier: r.dynamodb!.SequenceNumber! });
        }
        failed = true;
      }
      return { batchItemFailures: failures };
    });
    await poller.start();
    await poller.drain(10_000);
    expect(batches.map(numbers)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [3, 4, 5, 6],
    ]);
    expect(await poller.deadLetters()).toEqual([]);

    const checkpoint = JSON.parse(await readFile(join(stateDir, `checkpoint-${table}-test.json`), 'utf8'));
    const last = batches.at(-1)!.at(-1)!.dynamodb!.SequenceNumber;
    expect(
      Object.values(checkpoint.shards).map((s) => (s as { sequenceNumber: string }).sequenceNumber),
    ).toContain(last);
  });

  it('bisects a failing batch, dead-letters the poison record after retryAttempts and goes on', async () => {
    const table = await freshTable();
    await putMany(table, 1, 8);
    const attemptsWithPoison: number[][] = [];
    const { poller, batches, logs } = makePoller(
      table,
      async (event: DynamoDBStreamEvent) => {
        const ns = numbers(event.Records);
        if (ns.includes(4)) {
          attemptsWithPoison.push(ns);
          throw new Error('poison record 4');
        }
      },
      { retryAttempts: 2, bisectBatchOnError: true },
    );
    await poller.start();
    await poller.drain(10_000);
    await put(table, 9); // a later record still flows
    await poller.drain(10_000);

    // Bisect 8 → 4 → 2 → 1, then the single poison record: 1 attempt + 2 retries.
    expect(attemptsWithPoison).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], [3, 4], [4], [4], [4]]);
    const delivered = new Set(numbers(batches.flat()));
    for (const n of [1, 2, 3, 5, 6, 7, 8, 9]) expect(delivered.has(n)).toBe(true);

    const letters = await poller.deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatch(/dead-letters\/.+-shardId-.+\.json$/);
    const letter = JSON.parse(await readFile(letters[0]!, 'utf8')) as DeadLetter;
    expect(letter).toMatchObject({
      subscription: 'test',
      batchSize: 1,
      attempts: 3,
      error: expect.stringContaining('poison record 4'),
    });
    expect(letter.startSequenceNumber).toBe(letter.endSequenceNumber);
    expect(keyNumbers(letter.records)).toEqual([4]);
    expect(JSON.stringify(letter.records)).not.toContain('NewImage');
    const deadLetterLogs = logs.filter((l) => l.includes('DEAD LETTER'));
    expect(deadLetterLogs).toHaveLength(1);
    expect(deadLetterLogs[0]).not.toContain('\n');
    expect(deadLetterLogs[0]).not.toContain('P#0004');
  });

  it('dead-letters a record that keeps failing in batchItemFailures, without blocking the shard', async () => {
    const table = await freshTable();
    await putMany(table, 1, 4);
    const { poller, batches } = makePoller(
      table,
      async (event): Promise<DynamoDBBatchResponse> => ({
        batchItemFailures: event.Records.filter((r) => r.dynamodb?.NewImage?.n?.N === '2').map((r) => ({
          itemIdentifier: r.dynamodb!.SequenceNumber!,
        })),
      }),
      { retryAttempts: 1, bisectBatchOnError: false },
    );
    await poller.start();
    await poller.drain(10_000);
    await put(table, 5);
    await poller.drain(10_000);
    // As on AWS: the retried batch starts at the failed record and, once retries are exhausted,
    // that whole batch goes to the on-failure destination.
    expect(batches.map(numbers)).toEqual([[1, 2, 3, 4], [2, 3, 4], [5]]);
    const letters = await poller.deadLetters();
    expect(letters).toHaveLength(1);
    const letter = JSON.parse(await readFile(letters[0]!, 'utf8')) as DeadLetter;
    expect(keyNumbers(letter.records)).toEqual([2, 3, 4]);
    expect(letter.attempts).toBe(2);
  });

  it('keeps its checkpoint across a restart: no replay, no loss', async () => {
    const table = await freshTable();
    const first = makePoller(table, ok);
    await putMany(table, 1, 5);
    await first.poller.start();
    await first.poller.drain(10_000);
    await first.poller.stop();
    expect(numbers(first.batches.flat())).toEqual([1, 2, 3, 4, 5]);

    await putMany(table, 6, 8); // written while no poller runs
    const second = makePoller(table, ok, {}, first.stateDir);
    await second.poller.start();
    await second.poller.drain(10_000);
    expect(numbers(second.batches.flat())).toEqual([6, 7, 8]);
  });

  it('stop() lets the batch in flight finish and checkpoints it', async () => {
    const table = await freshTable();
    await putMany(table, 1, 3);
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let finished = false;
    const first = makePoller(table, async () => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 200));
      finished = true;
    });
    await first.poller.start();
    await inHandler;
    await first.poller.stop();
    expect(finished).toBe(true);
    expect(first.poller.ready).toBe(false);

    const second = makePoller(table, ok, {}, first.stateDir);
    await second.poller.start();
    await second.poller.drain(10_000);
    expect(second.batches).toEqual([]);
  });

  it('drain() resolves at once on an idle stream and waits for records written just before', async () => {
    const table = await freshTable();
    const slow = makePoller(table, async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
    });
    await slow.poller.start();
    await slow.poller.drain(5000);
    await putMany(table, 1, 30);
    await slow.poller.drain(10_000);
    expect(numbers(slow.batches.flat())).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
