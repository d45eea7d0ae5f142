import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../../infra/local/dynamodb.js';
import { main } from '../../../infra/smoke.js';
import { registryTable } from '../../../shared/platform/table/definition.js';
import { type LocalStack, startStack } from '../../support/local-stack.js';

/**
 * Issue 10, point 9: `npm run smoke -- <api-url>` against the real local stack (npm start's entry
 * point, as a child process), here with sign-up closed behind a token as a deployed stage would
 * be: it passes with the token — registration, statistics within 10 s, departure, keys revoked —
 * and fails at sign-up without it.
 */
const token = 'smoke-test-signup-token';
let stack: LocalStack;
const saved = { ...process.env };

beforeAll(async () => {
  process.env.SIGNUP_TOKEN = token;
  delete process.env.REGISTRY_TABLE;
  delete process.env.IDEMPOTENCY_TABLE;
  try {
    stack = await startStack();
  } finally {
    process.env = { ...saved };
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await main(argv, {}, (line) => lines.push(line));
  return { code, lines, last: lines.at(-1) ?? '' };
};

describe('npm run smoke against the local stack', () => {
  it('passes end to end with the sign-up token, and leaves no key of its township usable', async () => {
    const { code, lines, last } = await run([stack.baseUrl, '--signup-token', token]);
    expect(last, lines.join('\n')).toMatch(
      /^smoke: PASS http:\/\/127\.0\.0\.1:\d+ tenant t_\S+ — 8 steps in/,
    );
    expect(code).toBe(0);
    for (const step of [
      'health',
      'sign-up',
      'grid',
      'registration',
      'statistics show the registration',
      'departure',
      'statistics show the departure',
      'cleanup: keys revoked',
    ])
      expect(lines.some((l) => l.startsWith(`  ok  ${step} (`))).toBe(true);

    // Every key record of the throwaway township is revoked (read from the stack's own table).
    const tenantId = /tenant (t_\S+)/.exec(last)?.[1];
    const db = localDynamoClient(stack.dynamoEndpoint);
    try {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: registryTable.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': { S: `TENANT#${tenantId}` }, ':sk': { S: 'APIKEY#' } },
        }),
      );
      expect(Items.length).toBeGreaterThan(0);
      for (const item of Items) expect(item.revokedAt?.S).toBeDefined();
    } finally {
      db.destroy();
    }
  }, 60_000);

  it('fails at sign-up without the token (a negative control), and says so in one line', async () => {
    const { code, last } = await run([stack.baseUrl]);
    expect(code).toBe(1);
    expect(last).toMatch(
      /^smoke: FAIL http:\/\/127\.0\.0\.1:\d+ — at "sign-up": POST \/v1\/signup: expected 201, got 401/,
    );
  }, 30_000);

  it('refuses to run without an API URL', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--signup-token'])).code).toBe(2);
  });
});
