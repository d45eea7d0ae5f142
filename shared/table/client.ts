import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { idempotencyTable, registryTable, tableEnv } from './definition.js';

/**
 * One DynamoDB client per process. On AWS the SDK finds region and credentials itself; locally
 * `DYNAMODB_ENDPOINT` points at DynamoDB Local (static dummy credentials, any region).
 */
export function dynamoConfig(): DynamoDBClientConfig {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) return {};
  return {
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  };
}

let raw: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  raw ??= new DynamoDBClient(dynamoConfig());
  return raw;
}

export function documentClient(): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return doc;
}

/** Table names come from the environment on AWS; locally they default to the logical names. */
export const registryTableName = (): string => process.env[tableEnv.registry] ?? registryTable.name;
export const idempotencyTableName = (): string => process.env[tableEnv.idempotency] ?? idempotencyTable.name;
