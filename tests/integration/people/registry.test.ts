import { ScanCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as peopleHandler } from '../../../functions/http/people.js';
import { handler as tenantsHandler } from '../../../functions/http/tenants.js';
import { lambdaContext } from '../../../infra/local/handlers.js';
import {
  DuplicateIdNumberError,
  personRepository,
  StaleWriteError,
} from '../../../shared/modules/people/repository.js';
import { depart, personIdPrefix, register } from '../../../shared/modules/people/rules/person.js';
import { toAuthorizerContext } from '../../../shared/platform/access/principal.js';
import { mintId } from '../../../shared/platform/ids.js';
import { documentClient } from '../../../shared/platform/table/client.js';
import { testDynamoClient } from '../support/dynamo.js';
import { world } from '../support/world.js';

type World = Awaited<ReturnType<typeof world>>;
let w: World;

beforeAll(async () => {
  w = await world('registry', 2);
});

function event(routeKey: string, options: { body?: unknown; path?: string } = {}): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath: options.path ?? path,
    rawQueryString: '',
    headers: options.body ? { 'content-type': 'application/json' } : {},
    requestContext: {
      accountId: '0',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: {
        method,
        path: options.path ?? path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: 'req-123',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { lambda: toAuthorizerContext(w.principal) },
    } as APIGatewayProxyEventV2['requestContext'],
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
  };
}

describe('person repository', () => {
  it('lets exactly one of many concurrent registrations of an ID number succeed, and writes nothing for the rest', async () => {
    const first = await w.registerPerson();
    const repo = personRepository(w.principal);
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, async () => {
        const tr = register(
          { ...first, lastVerifiedOn: null },
          { personId: mintId(personIdPrefix), cardNumber: 'C-race' },
          w.today,
          new Date().toISOString(),
        );
        await repo.register({ transition: tr, idHash: first.idHash, actor: { keyId: 'k', name: 'racer' } });
        return tr.person.personId;
      }),
    );
    expect(attempts.every((a) => a.status === 'rejected')).toBe(true);
    for (const a of attempts) {
      expect((a as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateIdNumberError);
      expect(((a as PromiseRejectedResult).reason as DuplicateIdNumberError).existingPersonId).toBe(
        first.personId,
      );
    }
    // No partial writes: no person item and no history entry with the racers' card number.
    const scan = await testDynamoClient().send(
      new ScanCommand({
        TableName: w.tables.registry,
        FilterExpression: 'cardNumber = :c',
        ExpressionAttributeValues: { ':c': { S: 'C-race' } },
      }),
    );
    expect(scan.Count).toBe(0);
  });

  it('two fresh concurrent registrations of one new ID number: exactly one wins', async () => {
    const template = await w.registerPerson();
    const repo = personRepository(w.principal);
    const freshHash = `${template.idHash}-fresh`;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        repo.register({
          transition: register(
            { ...template, lastVerifiedOn: null },
            { personId: mintId(personIdPrefix), cardNumber: 'C' },
            w.today,
            new Date().toISOString(),
          ),
          idHash: freshHash,
          actor: { keyId: 'k', name: 'racer' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a write computed from an old version, and releases the ID guard on departure', async () => {
    const p = await w.registerPerson();
    const repo = personRepository(w.principal);
    const actor = { keyId: 'k', name: 'o' };
    await repo.apply({
      transition: depart(p, { departedOn: w.today, reason: 'left' }, w.today, new Date().toISOString()),
      fromVersion: p.version,
      idHash: p.idHash,
      actor,
    });
    await expect(
      repo.apply({
        transition: depart(p, { departedOn: w.today, reason: 'left' }, w.today, new Date().toISOString()),
        fromVersion: p.version,
        idHash: p.idHash,
        actor,
      }),
    ).rejects.toBeInstanceOf(StaleWriteError);
    await expect(repo.activePersonIdOf(p.idHash)).resolves.toBeUndefined();
    expect((await repo.history(p.personId)).map((h) => h.action)).toEqual(['registered', 'departed']);
  });
});

describe('failures the engine cannot produce', () => {
  it('answers 500 with a request id and no internals when DynamoDB fails', async () => {
    const mock = mockClient(DynamoDBDocumentClient);
    mock.onAnyCommand().rejects(
      Object.assign(new Error('InternalServerError: disk on fire at 10.0.0.7'), {
        name: 'InternalServerError',
      }),
    );
    try {
      const res = (await tenantsHandler(
        event('GET /v1/tenant'),
        lambdaContext('tenants'),
      )) as APIGatewayProxyStructuredResultV2;
      expect(res.statusCode).toBe(500);
      expect(res.headers?.['content-type']).toBe('application/problem+json');
      const body = JSON.parse(res.body as string);
      expect(body).toMatchObject({ status: 500, title: 'Internal Server Error', requestId: 'req-123' });
      expect(res.body).not.toMatch(/disk|10\.0\.0\.7|InternalServerError|at .*\.ts/);
    } finally {
      mock.restore();
    }
  });

  it('a registration whose transaction fails writes nothing and is a 500, not a partial person', async () => {
    // Let reads through to DynamoDB Local, fail only the transaction.
    const doc = documentClient();
    const realSend = doc.send.bind(doc);
    const spy = vi.spyOn(doc, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
      if (command instanceof TransactWriteCommand)
        return Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
      return (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof doc.send);
    try {
      const body = {
        idNumber: '11010519491231002X',
        name: 'Wang',
        flow: 'inflow',
        gridId: w.grids[0],
        address: 'x',
        arrivedOn: w.today,
        maritalStatus: 'single',
      };
      const res = (await peopleHandler(
        event('POST /v1/people', { body }),
        lambdaContext('people'),
      )) as APIGatewayProxyStructuredResultV2;
      expect(res.statusCode).toBe(500);
    } finally {
      spy.mockRestore();
    }
    const list = (await peopleHandler(
      { ...event('GET /v1/people'), queryStringParameters: { gridId: w.grids[0] as string, limit: '100' } },
      lambdaContext('people'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(list.body).not.toContain('11010519491231002X');
  });
});

describe('transactions that lose a race for an item', () => {
  const conflict = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
    });

  it('are retried, and a person change still lands once', async () => {
    const p = await w.registerPerson();
    const doc = documentClient();
    const realSend = doc.send.bind(doc);
    let conflicts = 0;
    const spy = vi.spyOn(doc, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
      if (command instanceof TransactWriteCommand && conflicts < 2) {
        conflicts++;
        return Promise.reject(conflict());
      }
      return (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof doc.send);
    try {
      const repo = personRepository(w.principal);
      await repo.apply({
        transition: depart(p, { departedOn: w.today, reason: 'left' }, w.today, new Date().toISOString()),
        fromVersion: p.version,
        idHash: p.idHash,
        actor: { keyId: 'k', name: 'o' },
      });
      expect(conflicts).toBe(2);
      expect((await repo.get(p.personId))?.status).toBe('departed');
    } finally {
      spy.mockRestore();
    }
  });

  it('that keep losing become a 409 over HTTP, never a 500', async () => {
    const p = await w.registerPerson();
    const doc = documentClient();
    const realSend = doc.send.bind(doc);
    const spy = vi.spyOn(doc, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) => {
      if (command instanceof TransactWriteCommand) return Promise.reject(conflict());
      return (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof doc.send);
    try {
      const res = (await peopleHandler(
        {
          ...event(`PATCH /v1/people/{personId}`, {
            body: { address: 'elsewhere' },
            path: `/v1/people/${p.personId}`,
          }),
          pathParameters: { personId: p.personId },
        },
        lambdaContext('people'),
      )) as APIGatewayProxyStructuredResultV2;
      expect(res.statusCode).toBe(409);
    } finally {
      spy.mockRestore();
    }
  });
});
