import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  createTableInput,
  dynamoAnswers,
  ensureDynamoDbLocal,
  ensureTables,
  localDynamoClient,
} from '../../../infra/local/dynamodb.js';
import { registryTable, tables } from '../../../shared/app/index.js';
import { idempotencyTable } from '../../../shared/platform/table/definition.js';
import { freePort } from '../../support/ports.js';
import { createTestTables, testDynamoClient, testEndpoint, uniqueTableName } from '../support/dynamo.js';

const client = testDynamoClient();
afterAll(() => client.destroy());

describe('test wiring', () => {
  it('reaches the workers through both inject() and the environment', () => {
    expect(inject('dynamoEndpoint')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.DYNAMODB_ENDPOINT).toBe(inject('dynamoEndpoint'));
    expect(process.env.DYNAMODB_PORT).toBe(new URL(inject('dynamoEndpoint')).port);
  });

  it('createTestTables makes unique tables and points the environment at them', async () => {
    const a = await createTestTables('wiring');
    expect(process.env.REGISTRY_TABLE).toBe(a.registry);
    expect(process.env.IDEMPOTENCY_TABLE).toBe(a.idempotency);
    const b = await createTestTables('wiring');
    expect(b.registry).not.toBe(a.registry);
    expect(a.registry).toMatch(/^wiring-[0-9a-f]{8}-RegistryTable$/);
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(
      expect.arrayContaining([a.registry, a.idempotency, b.registry, b.idempotency]),
    );
  });
});

describe('ensureDynamoDbLocal', () => {
  it('reuses an instance that already answers', async () => {
    const port = Number(new URL(testEndpoint()).port);
    const handle = await ensureDynamoDbLocal({ port });
    expect(handle).toMatchObject({ endpoint: testEndpoint(), startedHere: false });
    await handle.stop(); // a no-op for an instance started elsewhere
    expect(await dynamoAnswers(testEndpoint())).toBe(true);
  });

  it('refuses a relative dataDir', async () => {
    await expect(ensureDynamoDbLocal({ port: await freePort(), dataDir: 'relative/dir' })).rejects.toThrow(
      /absolute/,
    );
  });

  // These two start Java: run them side by side to keep the file fast.
  it.concurrent('fails clearly, with the output of Java, when the port is taken by something else', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      // Java exits within seconds of failing to bind; a starved JVM (the whole suite on two
      // cores) was seen to need over 20 s, when the start-up deadline came first.
      await expect(ensureDynamoDbLocal({ port, startTimeoutMs: 75_000 })).rejects.toThrow(
        new RegExp(`DynamoDB Local on port ${port} exited[^]*Its output:`),
      );
    } finally {
      server.close();
    }
  }, 90_000);

  it.concurrent('starts, keeps data in dataDir across a restart, and stops', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ddb-local-test-'));
    const port = await freePort();
    try {
      const first = await ensureDynamoDbLocal({ port, dataDir });
      expect(first.startedHere).toBe(true);
      const c1 = localDynamoClient(first.endpoint);
      await ensureTables(c1, [idempotencyTable]);
      c1.destroy();
      await first.stop();
      expect(await dynamoAnswers(first.endpoint)).toBe(false);

      const second = await ensureDynamoDbLocal({ port, dataDir });
      expect(second.startedHere).toBe(true);
      const c2 = localDynamoClient(second.endpoint);
      const { TableNames } = await c2.send(new ListTablesCommand({}));
      c2.destroy();
      await second.stop();
      expect(TableNames).toEqual([idempotencyTable.name]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000); // two JVM start-ups: seconds alone, far more beside the rest of npm test on 2 cores
});

describe('ensureTables', () => {
  it('creates the tables from THE definition, idempotently', async () => {
    const names = {
      [registryTable.name]: uniqueTableName(registryTable.name, 'ensure'),
      [idempotencyTable.name]: uniqueTableName(idempotencyTable.name, 'ensure'),
    };
    await ensureTables(client, tables, names);
    await ensureTables(client, tables, names); // existing tables are left alone

    const registry = (await client.send(new DescribeTableCommand({ TableName: names[registryTable.name] })))
      .Table!;
    expect(registry.TableStatus).toBe('ACTIVE');
    expect(registry.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(registry.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(registry.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(registry.LatestStreamArn).toBeTruthy();

    const indexes = new Map((registry.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
    expect([...indexes.keys()].sort()).toEqual(registryTable.indexes.map((i) => i.name).sort());
    for (const def of registryTable.indexes) {
      const index = indexes.get(def.name)!;
      expect(index.IndexStatus).toBe('ACTIVE');
      expect(index.KeySchema).toEqual([
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        { AttributeName: def.sortKey, KeyType: 'RANGE' },
      ]);
      if (typeof def.projection === 'string') {
        expect(index.Projection?.ProjectionType).toBe(def.projection);
      } else {
        expect(index.Projection?.ProjectionType).toBe('INCLUDE');
        expect([...(index.Projection?.NonKeyAttributes ?? [])].sort()).toEqual([...def.projection].sort());
      }
    }

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: names[registryTable.name] }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(registryTable.timeToLiveAttribute);

    const idem = (await client.send(new DescribeTableCommand({ TableName: names[idempotencyTable.name] })))
      .Table!;
    expect(idem.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(idem.GlobalSecondaryIndexes ?? []).toEqual([]);
    expect(idem.StreamSpecification?.StreamEnabled ?? false).toBe(false);
  });

  it('builds CreateTable input with string keys and no stream where none is defined', () => {
    const input = createTableInput(idempotencyTable, 'x');
    expect(input).toEqual({
      TableName: 'x',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
  });
});
