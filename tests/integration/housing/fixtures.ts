import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { housingIndexKeys, housingKeys } from '../../../shared/modules/housing/keys.js';
import type { HouseBody } from '../../../shared/modules/housing/schemas.js';
import { type Principal, toAuthorizerContext } from '../../../shared/platform/access/principal.js';
import { mintId } from '../../../shared/platform/ids.js';
import { documentClient, registryTableName } from '../../../shared/platform/table/client.js';
import type { TenantContext } from '../../../shared/platform/table/tenant-context.js';

/** Shared helpers of the housing integration tests. */

let plaques = 0;
export const houseBody = (gridId: string, over: Partial<HouseBody> = {}): HouseBody => ({
  gridId,
  status: 'registered',
  address: { estate: 'Xinhua Village', building: String(plaques % 7) },
  plaque: `XH-${process.pid}-${plaques++}`,
  houseType: 'suite',
  use: 'dwelling',
  lettingMode: 'split-rooms',
  managementClass: 'B',
  ...over,
});

/**
 * A letter item as the letters part stores it (docs/housing.md; shared/modules/housing/letters
 * is not this file's to use): the attributes the housing counters read, and the byGrid keys.
 */
export async function putLetter(
  t: TenantContext,
  l: {
    houseId: string;
    gridId: string;
    kind?: string;
    status?: 'valid' | 'expired' | 'revoked';
    signedOn: string;
    validFrom: string;
    validUntil: string;
  },
): Promise<string> {
  const letterId = mintId('lt');
  const now = new Date().toISOString();
  await documentClient().send(
    new PutCommand({
      TableName: registryTableName(),
      Item: {
        ...housingKeys.letter(t, letterId),
        entity: 'letter',
        tenantId: t.tenantId,
        letterId,
        kind: l.kind ?? 'security-responsibility',
        houseId: l.houseId,
        gridId: l.gridId,
        status: l.status ?? 'valid',
        signedOn: l.signedOn,
        validFrom: l.validFrom,
        validUntil: l.validUntil,
        version: 1,
        createdAt: now,
        updatedAt: now,
        gridPk: housingIndexKeys.grid(t, l.gridId),
        gridSk: housingIndexKeys.letterGridSk(letterId),
      },
    }),
  );
  return letterId;
}

/** An API Gateway event of a route for the housing function, as the principal's key. */
export function apiEvent(
  principal: Principal,
  routeKey: string,
  options: {
    body?: unknown;
    params?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? '');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      accountId: '0',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-housing',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { lambda: toAuthorizerContext(principal) },
    } as APIGatewayProxyEventV2['requestContext'],
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
  };
}
