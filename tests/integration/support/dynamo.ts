/**
 * DynamoDB Local for integration tests. The run's global setup starts one in-memory instance;
 * these helpers find it and give each test file tables of its own:
 *
 *   import { createTestTables } from './support/dynamo.js';
 *   beforeAll(async () => { await createTestTables('people'); });   // sets REGISTRY_TABLE etc.
 *
 * After that, shared/platform/table/client.ts (dynamoClient(), registryTableName(), …) talks to the test
 * tables, because DYNAMODB_ENDPOINT, REGISTRY_TABLE and IDEMPOTENCY_TABLE are set.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTables, localDynamoClient } from '../../../infra/local/dynamodb.js';
import { registryTable, tables } from '../../../shared/app/index.js';
import { idempotencyTable } from '../../../shared/platform/table/definition.js';

/** The endpoint of the run's DynamoDB Local, e.g. `http://127.0.0.1:41234`. */
export function testEndpoint(): string {
  const endpoint = inject('dynamoEndpoint') ?? process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('No DynamoDB Local: run this test in the vitest project "integration"');
  process.env.DYNAMODB_ENDPOINT = endpoint;
  return endpoint;
}

/** A DynamoDB client (dummy credentials) for the run's DynamoDB Local. */
export function testDynamoClient(): DynamoDBClient {
  return localDynamoClient(testEndpoint());
}

export interface TestTables {
  endpoint: string;
  /** Actual name of the registry table (also in process.env.REGISTRY_TABLE). */
  registry: string;
  /** Actual name of the idempotency table (also in process.env.IDEMPOTENCY_TABLE). */
  idempotency: string;
}

/** A fresh, unique table name for a logical table: `<prefix>-<random>-<logical name>`. */
export function uniqueTableName(logicalName: string, prefix = 'test'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}-${logicalName}`;
}

/**
 * Create this test file's own copies of the tables (from THE table definitions, with unique names)
 * and point REGISTRY_TABLE / IDEMPOTENCY_TABLE / DYNAMODB_ENDPOINT at them. Call once per file,
 * e.g. in `beforeAll`. Tables are left behind; the in-memory DynamoDB Local dies with the run.
 */
export async function createTestTables(prefix = 'test'): Promise<TestTables> {
  const endpoint = testEndpoint();
  const suffix = randomBytes(4).toString('hex');
  const names: Record<string, string> = {};
  for (const def of tables) names[def.name] = `${prefix}-${suffix}-${def.name}`;
  const client = localDynamoClient(endpoint);
  try {
    await ensureTables(client, tables, names);
  } finally {
    client.destroy();
  }
  const registry = names[registryTable.name]!;
  const idempotency = names[idempotencyTable.name]!;
  process.env[registryTable.environmentVariable] = registry;
  process.env[idempotencyTable.environmentVariable] = idempotency;
  return { endpoint, registry, idempotency };
}
