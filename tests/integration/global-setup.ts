/**
 * Integration tests: ONE in-memory DynamoDB Local per test run, on a free port. Workers find it
 * through `testEndpoint()` (tests/integration/support/dynamo.ts): it is provided to them with
 * `project.provide('dynamoEndpoint', …)`, and also put in DYNAMODB_ENDPOINT / DYNAMODB_PORT, which
 * the workers inherit (they are spawned after this setup has run).
 */
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { ensureDynamoDbLocal } from '../../infra/local/dynamodb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
