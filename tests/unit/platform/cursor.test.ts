import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../shared/domain/person.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import {
  type AuthorizerContext,
  fromAuthorizerContext,
  inScope,
  type Principal,
  toAuthorizerContext,
} from '../../shared/http/principal.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { roles } from '../../shared/http/routes.js';
import { personView } from '../../shared/registry/service.js';
import { type DeploymentKeys, deploymentKeys } from '../../shared/secrets.js';

describe('cursor', () => {
  const TENANT = 't_01TENANTA';
  const OTHER_TENANT = 't_01TENANTB';
  const QUERY = 'people?gridId=g_1&status=active';
  const position = { pk: 'TENANT#t_01TENANTA', sk: 'PERSON#p_01', n: 3 };
  let keys: DeploymentKeys;
  const previous = process.env.DEPLOYMENT_SECRET;

  beforeAll(async () => {
    process.env.DEPLOYMENT_SECRET = 'test-secret';
    keys = await deploymentKeys();
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.DEPLOYMENT_SECRET;
    else process.env.DEPLOYMENT_SECRET = previous;
  });

  /** The HttpProblem that decoding `cursor` throws. */
  function refusal(cursor: string, tenantId = TENANT, query = QUERY): HttpProblem {
    try {
      decodeCursor(keys, tenantId, query, cursor);
    } catch (error) {
      if (error instanceof HttpProblem) return error;
      throw error;
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
    const cursor = encodeCursor(keys, TENANT, QUERY, position);
    expect(decodeCursor(keys, TENANT, QUERY, cursor)).toEqual(position);
  });

  it('is URL-safe: base64url payload and signature', () => {
    expect(encodeCursor(keys, TENANT, QUERY, position)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('round-trips any JSON position (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.string(), (p, tenantId, query) => {
        const cursor = encodeCursor(keys, tenantId, query, p);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        expect(decodeCursor(keys, tenantId, query, cursor)).toEqual(JSON.parse(JSON.stringify(p)));
      }),
      { numRuns: 200 },
    );
  });

  it('is signed with the deployment secret: the same keys give the same cursor', async () => {
    expect(await deploymentKeys()).toBe(keys);
    expect(encodeCursor(keys, TENANT, QUERY, position)).toBe(encodeCursor(keys, TENANT, QUERY, position));
  });

  it('a cursor of another tenant is refused', () => {
    expectCursorRefused(encodeCursor(keys, OTHER_TENANT, QUERY, position));
  });

  it('a cursor of another query is refused', () => {
    const cursor = encodeCursor(keys, TENANT, QUERY, position);
    expectCursorRefused(cursor, TENANT, 'people?gridId=g_2&status=active');
    expectCursorRefused(cursor, TENANT, '');
    expect(refusal(cursor, TENANT, 'grids').detail).toMatch(/different query/);
  });

  it('a tampered payload is refused', () => {
    const cursor = encodeCursor(keys, TENANT, QUERY, position);
    const [payload, signature] = cursor.split('.') as [string, string];
    for (let i = 0; i < payload.length; i += 7) expectCursorRefused(`${flip(payload, i)}.${signature}`);
    // a re-encoded payload for another tenant, carrying the original signature
    expectCursorRefused(`${b64({ t: OTHER_TENANT, q: QUERY, p: position })}.${signature}`, OTHER_TENANT);
    // the same tenant and query with a forged position
    expectCursorRefused(`${b64({ t: TENANT, q: QUERY, p: { ...position, n: 4 } })}.${signature}`);
  });

  it('a tampered signature is refused', () => {
    const cursor = encodeCursor(keys, TENANT, QUERY, position);
    const [payload, signature] = cursor.split('.') as [string, string];
    for (let i = 0; i < signature.length; i++) expectCursorRefused(`${payload}.${flip(signature, i)}`);
    expectCursorRefused(`${payload}.${signature.slice(0, -1)}`);
    expectCursorRefused(`${payload}.${signature}A`);
    expectCursorRefused(`${payload}.${signature.toUpperCase()}`);
  });

  it('a signature from another cursor is refused', () => {
    const [payloadA] = encodeCursor(keys, TENANT, QUERY, position).split('.');
    const [, signatureB] = encodeCursor(keys, TENANT, QUERY, { ...position, n: 99 }).split('.');
    expectCursorRefused(`${payloadA}.${signatureB}`);
  });

  it.each(['', '.', 'abc', 'abc.', '.abc', 'a.b.c', 'not a cursor'])('garbage %j is refused', (cursor) => {
    expectCursorRefused(cursor);
  });

  it('a valid cursor with an extra segment is refused', () => {
    expectCursorRefused(`${encodeCursor(keys, TENANT, QUERY, position)}.extra`);
  });

  it('random strings are refused, never crash (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (cursor) => {
        expectCursorRefused(cursor);
      }),
    );
  });
});

describe('principal', () => {
  const principal = (over: Partial<Principal> = {}): Principal => ({
    tenantId: 't_01TENANT',
    keyId: 'k_01KEY',
    keyName: 'Street office 3',
    role: 'office',
    gridIds: undefined,
    ...over,
  });

  it('round-trips a principal with every grid (gridIds undefined)', () => {
    const p = principal();
    const ctx = toAuthorizerContext(p);
    expect(ctx.refused).toBe('false');
    expect(fromAuthorizerContext(ctx)).toEqual(p);
    expect(fromAuthorizerContext(ctx)?.gridIds).toBeUndefined();
  });

  it('round-trips a principal limited to a list of grids', () => {
    for (const gridIds of [['g_1'], ['g_1', 'g_2', 'g_3']]) {
      const p = principal({ role: 'grid', gridIds });
      expect(fromAuthorizerContext(toAuthorizerContext(p))).toEqual(p);
    }
  });

  it('an empty grid list stays empty (no grid), it does not become every grid', () => {
    const p = principal({ role: 'grid', gridIds: [] });
    const back = fromAuthorizerContext(toAuthorizerContext(p));
    expect(back?.gridIds).toEqual([]);
    expect(back && inScope(back, 'g_1')).toBe(false);
  });

  it('the context is flat strings, as HTTP API simple responses require', () => {
    const ctx = toAuthorizerContext(principal({ gridIds: ['g_1', 'g_2'] }));
    for (const v of Object.values(ctx)) expect(typeof v).toBe('string');
  });

  it('round-trips any principal (property)', () => {
    const gridId = fc.stringMatching(/^g_[0-9A-Z]{1,26}$/);
    fc.assert(
      fc.property(
        fc.record({
          tenantId: fc.string(),
          keyId: fc.string(),
          keyName: fc.string(),
          role: fc.constantFrom(...roles),
          gridIds: fc.option(fc.array(gridId, { maxLength: 10 }), { nil: undefined }),
        }),
        (p) => {
          expect(fromAuthorizerContext(toAuthorizerContext(p))).toEqual(p);
        },
      ),
    );
  });

  it('a refused or missing context is no principal', () => {
    const refused: AuthorizerContext = { refused: 'true', reason: 'unknown key' };
    expect(fromAuthorizerContext(refused)).toBeUndefined();
    expect(fromAuthorizerContext(undefined)).toBeUndefined();
    expect(fromAuthorizerContext({})).toBeUndefined();
    expect(fromAuthorizerContext({ tenantId: 't', keyId: 'k', role: 'admin' })).toBeUndefined();
    // only the string 'false' admits: not a boolean, not any other value
    expect(fromAuthorizerContext({ ...toAuthorizerContext(principal()), refused: false })).toBeUndefined();
    expect(fromAuthorizerContext({ ...toAuthorizerContext(principal()), refused: 'no' })).toBeUndefined();
  });

  it('inScope: every grid when unlimited, only the listed ones otherwise', () => {
    expect(inScope(principal(), 'g_anything')).toBe(true);
    const limited = principal({ role: 'grid', gridIds: ['g_1', 'g_2'] });
    expect(inScope(limited, 'g_1')).toBe(true);
    expect(inScope(limited, 'g_2')).toBe(true);
    expect(inScope(limited, 'g_3')).toBe(false);
    expect(inScope(limited, 'g_')).toBe(false);
    expect(inScope(limited, '')).toBe(false);
    expect(inScope(principal({ gridIds: [] }), 'g_1')).toBe(false);
  });

  it('inScope survives the authorizer round trip', () => {
    const back = fromAuthorizerContext(toAuthorizerContext(principal({ role: 'grid', gridIds: ['g_1'] })));
    expect(back).toBeDefined();
    if (!back) return;
    expect(inScope(back, 'g_1')).toBe(true);
    expect(inScope(back, 'g_10')).toBe(false);
  });

  it('only admin and office see identifiers in lists; viewers never; grid keys on single reads', () => {
    const person = { idNumber: '11010519491231002X', phone: '13812345678' } as Person;
    const raw = (role: Principal['role'], inList: boolean) =>
      personView(person, principal({ role }), inList).idNumber === person.idNumber;
    expect(roles.filter((role) => raw(role, true))).toEqual(['admin', 'office']);
    expect(roles.filter((role) => raw(role, false))).toEqual(['admin', 'office', 'grid']);
    expect(personView(person, principal({ role: 'viewer' }), false)).toMatchObject({
      idNumber: '110105********002X',
      phone: '138****5678',
    });
  });
});
