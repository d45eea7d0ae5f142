/** Arranging data straight through the API (faster than the UI) for tests that are about something else. */
import { inject } from 'vitest';
import { makeIdNumber } from '../../../shared/modules/people/rules/id-number.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export async function call<T = any>(
  method: string,
  path: string,
  key?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function ok<T>(promise: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const res = await promise;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let sequence = 100;
/** A valid ID number, different on every call (a woman of childbearing age unless `sex` says otherwise). */
export function nextIdNumber(options: { birthDate?: string; sex?: 'female' | 'male' } = {}): string {
  sequence += 1;
  const seq = (sequence % 499) * 2 + (options.sex === 'male' ? 1 : 2);
  return makeIdNumber({
    region: '110105',
    birthDate: options.birthDate ?? '1990-05-17',
    sequence: seq > 999 ? 998 : seq,
  });
}

export interface Township {
  adminKey: string;
  grid(name: string, community: string): Promise<string>;
  key(role: 'admin' | 'office' | 'grid' | 'viewer', gridIds?: string[], name?: string): Promise<string>;
  register(
    gridId: string,
    extra?: Record<string, unknown>,
  ): Promise<{ personId: string; idNumber: string; version: number }>;
}

export async function township(name: string): Promise<Township> {
  const signup = await ok(
    call<{ apiKey: string }>('POST', '/v1/signup', undefined, {
      townshipName: name,
      adminName: 'Admin',
      adminEmail: 'admin@example.cn',
    }),
    'signup',
  );
  const adminKey = signup.apiKey;
  return {
    adminKey,
    async grid(gridName, community) {
      return (
        await ok(
          call<{ gridId: string }>('POST', '/v1/grids', adminKey, { name: gridName, community }),
          'grid',
        )
      ).gridId;
    },
    async key(role, gridIds, keyName) {
      return (
        await ok(
          call<{ apiKey: string }>('POST', '/v1/api-keys', adminKey, {
            name: keyName ?? `${role} key`,
            role,
            ...(gridIds ? { gridIds } : {}),
          }),
          'api key',
        )
      ).apiKey;
    },
    async register(gridId, extra = {}) {
      const idNumber = nextIdNumber();
      const person = await ok(
        call<{ personId: string; version: number }>('POST', '/v1/people', adminKey, {
          idNumber,
          name: 'Wang Fang',
          flow: 'inflow',
          gridId,
          address: 'Building 1, Room 101',
          arrivedOn: '2026-01-10',
          maritalStatus: 'married',
          phone: '13812345678',
          ...extra,
        }),
        'register',
      );
      return { personId: person.personId, idNumber, version: person.version };
    },
  };
}
