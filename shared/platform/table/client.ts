import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { environment } from '../config.js';
import { idempotencyTable, registryTable } from './definition.js';
import { guardTenantKeys } from './tenant-guard.js';
import { currentScope } from './tenant-scope.js';

/**
 * DynamoDB clients, one per process (and, on AWS, one per tenant served). On AWS the SDK finds
 * region and credentials itself; locally `DYNAMODB_ENDPOINT` points at DynamoDB Local (static
 * dummy credentials, any region).
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

const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: false };

let raw: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
const tenantClients = new Map<string, DynamoDBDocumentClient>();

/** The function's own client (its own role): the idempotency store and platform-level work. */
export function dynamoClient(): DynamoDBClient {
  if (!raw) {
    raw = new DynamoDBClient(dynamoConfig());
    guardTenantKeys(raw.middlewareStack as never, registryTableName);
  }
  return raw;
}

/**
 * The client for the work at hand. Inside a tenant's request on AWS (a function given
 * `TENANT_ACCESS_ROLE_ARN`), a client signing with that role assumed with the tenant as a
 * session tag — IAM then allows only keys starting with the tenant's prefix; the credentials are
 * cached and refreshed per tenant per instance (STS, not DynamoDB: no request budget spent).
 * Everywhere else (locally, jobs, the stream, platform-level items), the function's own client.
 * Both carry the tenant-key guard, so a key builder's mistake fails loudly on both hosts.
 */
export function documentClient(): DynamoDBDocumentClient {
  const scope = currentScope();
  const roleArn = environment().TENANT_ACCESS_ROLE_ARN;
  if (scope?.kind === 'tenant' && roleArn) {
    let client = tenantClients.get(scope.tenantId);
    if (!client) {
      const scoped = new DynamoDBClient({
        ...dynamoConfig(),
        credentials: fromTemporaryCredentials({
          params: {
            RoleArn: roleArn,
            RoleSessionName: `tenant-${scope.tenantId}`.slice(0, 64),
            Tags: [{ Key: 'tenantId', Value: scope.tenantId }],
            DurationSeconds: 900,
          },
        }),
      });
      guardTenantKeys(scoped.middlewareStack as never, registryTableName);
      client = DynamoDBDocumentClient.from(scoped, { marshallOptions });
      tenantClients.set(scope.tenantId, client);
    }
    return client;
  }
  doc ??= DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions });
  return doc;
}

/**
 * Table names come from the environment (the variable each definition names). On AWS (a Lambda
 * runtime, not DynamoDB Local) a missing registry table name is a deployment error: it fails at
 * first use, loudly, instead of quietly addressing a table named like the logical one.
 */
export const registryTableName = (): string => {
  const e = environment();
  const name = e[registryTable.environmentVariable];
  if (name) return name;
  if (e.AWS_LAMBDA_FUNCTION_NAME && !e.DYNAMODB_ENDPOINT) {
    throw new Error(
      `${registryTable.environmentVariable} is not set in ${e.AWS_LAMBDA_FUNCTION_NAME}: the stack gives it to ` +
        `every function that reaches the registry table; not falling back to "${registryTable.name}"`,
    );
  }
  return registryTable.name;
};
export const idempotencyTableName = (): string =>
  environment()[idempotencyTable.environmentVariable] ?? idempotencyTable.name;
