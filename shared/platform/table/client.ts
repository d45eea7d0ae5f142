import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { environment } from '../config.js';
import { idempotencyTable, registryTable } from './definition.js';

/**
 * One DynamoDB client per process. On AWS the SDK finds region and credentials itself; locally
 * `DYNAMODB_ENDPOINT` points at DynamoDB Local (static dummy credentials, any region).
 */
export function dynamoConfig(): DynamoDBClientConfig {
  const { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: region } = environment();
  if (!endpoint) return {};
  return {
    endpoint,
    region: region ?? 'local',
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

/** Table names come from the environment (the variable each definition names). */
export const registryTableName = (): string =>
  environment()[registryTable.environmentVariable] ?? registryTable.name;
export const idempotencyTableName = (): string =>
  environment()[idempotencyTable.environmentVariable] ?? idempotencyTable.name;
