import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/http/signup.js';
import { lambdaContext } from '../../../infra/local/handlers.js';
import { createTestTables } from '../support/dynamo.js';

const signup = (headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/signup',
    rawPath: '/v1/signup',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: { requestId: 'r1', http: { method: 'POST', path: '/v1/signup' } },
    body: JSON.stringify({ townshipName: 'Closed Township', adminName: 'A', adminEmail: 'a@example.cn' }),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('SIGNUP_TOKEN', () => {
  beforeAll(async () => {
    await createTestTables('signup');
    process.env.SIGNUP_TOKEN = 'let-me-in-please';
  });

  it('refuses sign-up without the token or with a wrong one, and accepts the right one', async () => {
    const call = async (headers: Record<string, string>) =>
      (await handler(signup(headers), lambdaContext('signup'))) as APIGatewayProxyStructuredResultV2;
    const none = await call({});
    expect(none.statusCode).toBe(401);
    expect(none.headers?.['content-type']).toBe('application/problem+json');
    expect((await call({ 'x-signup-token': 'guess' })).statusCode).toBe(401);
    const ok = await call({ 'x-signup-token': 'let-me-in-please' });
    expect(ok.statusCode).toBe(201);
    expect(JSON.parse(ok.body as string)).toMatchObject({ tenantId: expect.stringMatching(/^t_/) });
  });
});
