/**
 * Integration tests: ONE in-memory DynamoDB Local per test run, on a free port. Workers find it
 * through `testEndpoint()` (tests/integration/support/dynamo.ts): it is provided to them with
 * `project.provide('dynamoEndpoint', …)`, and also put in DYNAMODB_ENDPOINT / DYNAMODB_PORT, which
 * the workers inherit (they are spawned after this setup has run).
 */
import type { TestProject } from 'vitest/node';
import { ensureDynamoDbLocal } from '../../infra/local/dynamodb.js';
import { freePort } from '../support/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const dynamo = await ensureDynamoDbLocal({
    port,
    log: (msg) => {
      if (process.env.DEBUG_DYNAMODB) console.log(msg);
    },
  });
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.DYNAMODB_PORT = String(port);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
