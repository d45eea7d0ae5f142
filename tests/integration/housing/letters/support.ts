/**
 * Letters against DynamoDB Local before the housing manifest is wired into shared/app: this
 * file's tables are THE table definition with the letters' index projections added (exactly
 * what the composition root will do), and houses, landlords and people are put as plain items
 * with the attributes the letters read (the houses engineer's repository may not exist yet).
 */
import { randomBytes } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ensureTables, localDynamoClient } from '../../../../infra/local/dynamodb.js';
import { lambdaContext } from '../../../../infra/local/handlers.js';
import { modules } from '../../../../shared/app/index.js';
import { housingKeys } from '../../../../shared/modules/housing/keys.js';
import {
  letterHandlers,
  letterIndexProjections,
  letterProblem,
} from '../../../../shared/modules/housing/letters/index.js';
import type { LetterBody } from '../../../../shared/modules/housing/letters/schemas.js';
import { houseFromItem, houseItem } from '../../../../shared/modules/housing/repository/items.js';
import { type Principal, toAuthorizerContext } from '../../../../shared/platform/access/principal.js';
import { addDays } from '../../../../shared/platform/dates.js';
import { httpHandler } from '../../../../shared/platform/http/handler.js';
import { mintId } from '../../../../shared/platform/ids.js';
import { documentClient, registryTableName } from '../../../../shared/platform/table/client.js';
import {
  composeRegistryTable,
  idempotencyTable,
  registryTable,
} from '../../../../shared/platform/table/definition.js';
import type { TenantContext } from '../../../../shared/platform/table/tenant-context.js';
import { type TestTables, testEndpoint } from '../../support/dynamo.js';
import { world } from '../../support/world.js';

process.env.DEPLOYMENT_SECRET ??= 'integration-test-secret';

export async function letterTables(prefix: string): Promise<TestTables> {
  const endpoint = testEndpoint();
  const suffix = randomBytes(4).toString('hex');
  const registry = composeRegistryTable([
    ...modules.map((m) => m.indexProjections ?? {}),
    letterIndexProjections,
  ]);
  const defs = [registry, idempotencyTable];
  const names: Record<string, string> = {};
  for (const def of defs) names[def.name] = `${prefix}-${suffix}-${def.name}`;
  const client = localDynamoClient(endpoint);
  try {
    await ensureTables(client, defs, names);
  } finally {
    client.destroy();
  }
  const out = {
    endpoint,
    registry: names[registryTable.name] as string,
    idempotency: names[idempotencyTable.name] as string,
  };
  process.env[registryTable.environmentVariable] = out.registry;
  process.env[idempotencyTable.environmentVariable] = out.idempotency;
  return out;
}

export type HouseStatus = 'discovered' | 'registered' | 'banned' | 'closed';

/** A tenant with grids, and helpers to put houses, landlords and people as the letters see them. */
export async function letterWorld(prefix: string, gridCount = 2, tables?: TestTables) {
  const w = await world(prefix, gridCount, { tables: tables ?? (await letterTables(prefix)) });
  const db = documentClient();

  async function house(
    over: { gridId?: string; status?: HouseStatus; securityLetterLapsedOn?: string } = {},
    t: TenantContext = w.principal,
  ): Promise<string> {
    const houseId = mintId('h');
    const now = new Date().toISOString();
    // a house exactly as the houses' repository stores it (houseItem: index attributes and all)
    const house = houseFromItem({
      houseId,
      gridId: over.gridId ?? w.grids[0],
      address: { estate: 'Xinhua' },
      plaque: `P-${houseId}`,
      houseType: 'suite',
      use: 'dwelling',
      lettingMode: 'whole',
      managementClass: 'B',
      status: over.status ?? 'registered',
      registeredOn: w.today,
      securityLetterLapsedOn: over.securityLetterLapsedOn ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await db.send(new PutCommand({ TableName: registryTableName(), Item: houseItem(t, house) }));
    return houseId;
  }

  async function setHouseStatus(houseId: string, status: HouseStatus): Promise<void> {
    await db.send(
      new UpdateCommand({
        TableName: registryTableName(),
        Key: housingKeys.house(w.principal, houseId),
        UpdateExpression: 'SET #s = :s, #v = #v + :one',
        ExpressionAttributeNames: { '#s': 'status', '#v': 'version' },
        ExpressionAttributeValues: { ':s': status, ':one': 1 },
      }),
    );
  }

  async function landlord(t: TenantContext = w.principal): Promise<string> {
    const landlordId = mintId('l');
    await db.send(
      new PutCommand({
        TableName: registryTableName(),
        Item: { ...housingKeys.landlord(t, landlordId), entity: 'landlord', landlordId, kind: 'individual' },
      }),
    );
    return landlordId;
  }

  /** A grid key of the tenant limited to `gridIds`. */
  const gridKey = (gridIds: string[], role: Principal['role'] = 'grid'): Principal => ({
    ...w.principal,
    keyId: mintId('k'),
    keyName: 'Door chief Zhao',
    role,
    gridIds,
  });

  const body = (over: Partial<LetterBody> & { houseId: string; landlordId?: string }): LetterBody => {
    const { landlordId, ...rest } = over;
    return {
      kind: 'security-responsibility',
      party: { kind: 'landlord', landlordId: landlordId ?? 'l_01J00000000000000000000000' },
      signedOn: addDays(w.today, -10),
      validFrom: addDays(w.today, -10),
      validUntil: addDays(w.today, 365),
      ...rest,
    };
  };

  return { ...w, house, setHouseStatus, landlord, gridKey, body };
}

/**
 * An in-process HTTP function of the letters routes: the platform's own pipeline
 * (`httpHandler`: roles, parsing, Idempotency-Key, problem+json) over `letterHandlers`, called
 * with the event API Gateway would send after the authorizer accepted `principal`.
 */
export function lettersHttp() {
  const handler = httpHandler({ routes: letterHandlers, problems: letterProblem });
  return async function call(
    principal: Principal,
    method: string,
    path: string,
    options: {
      params?: Record<string, string>;
      body?: unknown;
      query?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{
    status: number;
    headers: Record<string, string>;
    body: Record<string, unknown> & { [k: string]: unknown };
  }> {
    const query = options.query ?? {};
    const event = {
      version: '2.0',
      routeKey: `${method} ${path}`,
      rawPath: path.replace(/\{(\w+)\}/g, (_, p: string) => options.params?.[p] ?? ''),
      rawQueryString: new URLSearchParams(query).toString(),
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
      pathParameters: options.params,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      isBase64Encoded: false,
      requestContext: {
        requestId: randomBytes(8).toString('hex'),
        authorizer: { lambda: toAuthorizerContext(principal) },
      },
    } as unknown as APIGatewayProxyEventV2;
    const out = (await handler(event, lambdaContext('letters'))) as APIGatewayProxyStructuredResultV2;
    const text = typeof out.body === 'string' ? out.body : '';
    return {
      status: out.statusCode ?? 0,
      headers: (out.headers ?? {}) as Record<string, string>,
      body: text ? JSON.parse(text) : {},
    };
  };
}
