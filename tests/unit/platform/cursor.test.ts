import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../shared/platform/cursor.js';
import { InvalidInput } from '../../../shared/platform/errors.js';
import { type HttpProblem, platformProblem } from '../../../shared/platform/http/problem.js';
import { type DeploymentSecret, deploymentSecret } from '../../../shared/platform/secrets.js';

describe('cursor', () => {
  const TENANT = 't_01TENANTA';
  const OTHER_TENANT = 't_01TENANTB';
  const QUERY = 'people?gridId=g_1&status=active';
  const position = { pk: 'TENANT#t_01TENANTA', sk: 'PERSON#p_01', n: 3 };
  let secret: DeploymentSecret;
  const previous = process.env.DEPLOYMENT_SECRET;

  beforeAll(async () => {
    process.env.DEPLOYMENT_SECRET = 'test-secret';
    secret = await deploymentSecret();
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.DEPLOYMENT_SECRET;
    else process.env.DEPLOYMENT_SECRET = previous;
  });

  /**
   * The HttpProblem a refused `cursor` becomes: decoding throws the platform's InvalidInput
   * (no HTTP in the cursor code), which the HTTP layer maps with `platformProblem`.
   */
  function refusal(cursor: string, tenantId = TENANT, query = QUERY): HttpProblem {
    try {
      decodeCursor(secret, tenantId, query, cursor);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const problem = platformProblem(error);
      if (!problem) throw new Error(`InvalidInput for cursor ${cursor} mapped to no problem`);
      return problem;
    }
    throw new Error(`cursor ${cursor} was accepted`);
  }
  function expectCursorRefused(cursor: string, tenantId = TENANT, query = QUERY): void {
    const p = refusal(cursor, tenantId, query);
    expect(p.status).toBe(400);
    expect(p.extensions.errors?.[0]?.path).toBe('cursor');
    expect(p.body()).toMatchObject({ status: 400, title: 'Bad Request', errors: [{ path: 'cursor' }] });
  }

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  /** Replace character `i` of `s` with a different URL-safe character. */
  const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;

  it('round-trips a position for the same tenant and query', () => {
    const cursor = encodeCursor(secret, TENANT, QUERY, position);
    expect(decodeCursor(secret, TENANT, QUERY, cursor)).toEqual(position);
  });

  it('is URL-safe: base64url payload and signature', () => {
    expect(encodeCursor(secret, TENANT, QUERY, position)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('round-trips any JSON position (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.string(), (p, tenantId, query) => {
        const cursor = encodeCursor(secret, tenantId, query, p);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        expect(decodeCursor(secret, tenantId, query, cursor)).toEqual(JSON.parse(JSON.stringify(p)));
      }),
      { numRuns: 200 },
    );
  });

  it('is signed with the deployment secret: the same secret give the same cursor', async () => {
    expect(await deploymentSecret()).toBe(secret);
    expect(encodeCursor(secret, TENANT, QUERY, position)).toBe(encodeCursor(secret, TENANT, QUERY, position));
  });

  it('a cursor of another tenant is refused', () => {
    expectCursorRefused(encodeCursor(secret, OTHER_TENANT, QUERY, position));
  });

  it('a cursor of another query is refused', () => {
    const cursor = encodeCursor(secret, TENANT, QUERY, position);
    expectCursorRefused(cursor, TENANT, 'people?gridId=g_2&status=active');
    expectCursorRefused(cursor, TENANT, '');
    expect(refusal(cursor, TENANT, 'grids').detail).toMatch(/different query/);
  });

  it('a tampered payload is refused', () => {
    const cursor = encodeCursor(secret, TENANT, QUERY, position);
    const [payload, signature] = cursor.split('.') as [string, string];
    for (let i = 0; i < payload.length; i += 7) expectCursorRefused(`${flip(payload, i)}.${signature}`);
    // a re-encoded payload for another tenant, carrying the original signature
    expectCursorRefused(`${b64({ t: OTHER_TENANT, q: QUERY, p: position })}.${signature}`, OTHER_TENANT);
    // the same tenant and query with a forged position
    expectCursorRefused(`${b64({ t: TENANT, q: QUERY, p: { ...position, n: 4 } })}.${signature}`);
  });

  it('a tampered signature is refused', () => {
    const cursor = encodeCursor(secret, TENANT, QUERY, position);
    const [payload, signature] = cursor.split('.') as [string, string];
    for (let i = 0; i < signature.length; i++) expectCursorRefused(`${payload}.${flip(signature, i)}`);
    expectCursorRefused(`${payload}.${signature.slice(0, -1)}`);
    expectCursorRefused(`${payload}.${signature}A`);
    expectCursorRefused(`${payload}.${signature.toUpperCase()}`);
  });

  it('a signature from another cursor is refused', () => {
    const [payloadA] = encodeCursor(secret, TENANT, QUERY, position).split('.');
    const [, signatureB] = encodeCursor(secret, TENANT, QUERY, { ...position, n: 99 }).split('.');
    expectCursorRefused(`${payloadA}.${signatureB}`);
  });

  it.each(['', '.', 'abc', 'abc.', '.abc', 'a.b.c', 'not a cursor'])('garbage %j is refused', (cursor) => {
    expectCursorRefused(cursor);
  });

  it('a valid cursor with an extra segment is refused', () => {
    expectCursorRefused(`${encodeCursor(secret, TENANT, QUERY, position)}.extra`);
  });

  it('random strings are refused, never crash (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (cursor) => {
        expectCursorRefused(cursor);
      }),
    );
  });
});
