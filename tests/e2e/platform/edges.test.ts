import { connect } from 'node:net';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { checkCharacter } from '../../../shared/modules/people/rules/id-number.js';
import { call, expectProblem, signUp, type Workspace } from '../support/api.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Write raw bytes to the local host and read its answer until it closes the connection (or
 * `ms` pass). `chunks` are written in order, each after the previous one drained.
 */
function raw(chunks: (string | Buffer)[], ms = 5_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(inject('baseUrl'));
  return new Promise((resolveAnswer, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no answer within ${ms} ms: ${Buffer.concat(received).toString('utf8').slice(0, 200)}`),
      );
    }, ms);
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = text.slice(split + 4);
      if (headers['content-length']) body = body.slice(0, Number(headers['content-length']));
      resolveAnswer({ status: Number(statusLine.split(' ')[1]), headers, body });
    };
    socket.on('data', (d: Buffer) => {
      received.push(d);
      // One answer is all these tests read: stop at its end even if the server keeps the connection.
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split))?.[1];
      if (split >= 0 && length !== undefined && Buffer.byteLength(text.slice(split + 4)) >= Number(length)) {
        socket.destroy();
        done();
      }
    });
    socket.on('error', () => undefined); // a reset after the answer is read is fine
    socket.on('close', () => {
      if (received.length > 0) done();
    });
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
      }
    });
  });
}

function expectRawProblem(res: RawAnswer, status: number): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  expect(body.title).not.toBe('Error');
  return body;
}

let ws: Workspace;
beforeAll(async () => {
  ws = await signUp('Edges Township');
});

describe('Idempotency-Key is bound to the matched route, not the path spelling', () => {
  const spellings = ['/v1/grids', '/v1/grids/', '/v1//grids'];

  it('the local host matches /v1/grids, /v1/grids/ and /v1//grids to one route (as API Gateway)', async () => {
    for (const path of spellings) {
      const res = await call('GET', path, { key: ws.adminKey });
      expect(res.status, path).toBe(200);
      expect(res.body.items).toEqual(expect.any(Array));
    }
  });

  it('POST to each spelling with one key and one body creates one grid', async () => {
    const body = { name: 'Edge grid', community: 'Spelling Community' };
    const headers = { 'idempotency-key': 'grid-spelling-0001' };
    const ids: string[] = [];
    for (const path of spellings) {
      const res = await call('POST', path, { key: ws.adminKey, body, headers });
      expect(res.status, `${path}: ${res.text}`).toBe(201);
      ids.push(res.body.gridId);
    }
    expect(new Set(ids).size).toBe(1);
    const grids = await call('GET', '/v1/grids', { key: ws.adminKey });
    expect(grids.body.items.filter((g: { name: string }) => g.name === 'Edge grid')).toHaveLength(1);
  });

  it('a path that starts with // is a path, not a host: //v1/grids is the same route and scope', async () => {
    const body = { name: 'Slashed grid', community: 'Spelling Community' };
    const headers = { 'idempotency-key': 'grid-spelling-0002' };
    const first = await call('POST', '/v1/grids', { key: ws.adminKey, body, headers });
    const slashed = await call('POST', '//v1/grids', { key: ws.adminKey, body, headers });
    expect(slashed.status, slashed.text).toBe(201);
    expect(slashed.body.gridId).toBe(first.body.gridId);
  });
});

describe('every answer of the local host is problem+json', () => {
  it('a malformed request line is 400', async () => {
    expectRawProblem(await raw(['GARBAGE\r\n\r\n']), 400);
    expectRawProblem(await raw(['GET /v1/health HTTP/1.1 trailing\r\nHost: x\r\n\r\n']), 400);
  });

  it('an unknown method is 400', async () => {
    const res = await raw(['FROBNICATE /v1/health HTTP/1.1\r\nHost: x\r\n\r\n']);
    const body = expectRawProblem(res, 400);
    expect(body.requestId).toEqual(expect.any(String));
    expect(res.headers['x-request-id']).toBe(body.requestId);
  });

  it('headers over the size limit are 431', async () => {
    const res = await raw([`GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`]);
    expectRawProblem(res, 431);
  });

  it('a body declared over the host limit is 413 without being read', async () => {
    const res = await raw([
      'POST /v1/grids HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n',
    ]);
    expectRawProblem(res, 413);
  });

  it('a chunked body over the host limit is 413', async () => {
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    const chunk = Buffer.concat([
      Buffer.from(`${piece.length.toString(16)}\r\n`),
      piece,
      Buffer.from('\r\n'),
    ]);
    const res = await raw(
      [
        'POST /v1/grids HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        ...Array.from({ length: 11 }, () => chunk),
        '0\r\n\r\n',
      ],
      20_000,
    );
    expectRawProblem(res, 413);
  });
});

describe('two Authorization headers', () => {
  it('sent as two header lines are 400, even when the first key is valid', async () => {
    const res = await raw([
      `GET /v1/tenant HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ws.adminKey}\r\nAuthorization: Bearer trk_someoneelsesKey0000000000\r\nConnection: close\r\n\r\n`,
    ]);
    const body = expectRawProblem(res, 400);
    expect(body.errors).toEqual([{ path: 'Authorization', message: expect.any(String) }]);
    expect(res.body).not.toContain(ws.adminKey);
  });

  it('joined with a comma (as a proxy or API Gateway joins them) are 400', async () => {
    const res = await call('GET', '/v1/tenant', {
      headers: { authorization: `Bearer ${ws.adminKey}, Bearer ${ws.adminKey}` },
    });
    expectProblem(res, 400);
    expect(res.body.errors[0].path).toBe('Authorization');
  });

  it('one header is still fine', async () => {
    expect((await call('GET', '/v1/tenant', { key: ws.adminKey })).status).toBe(200);
  });
});

describe('JSON bodies', () => {
  it('a UTF-8 byte-order mark at the start is accepted', async () => {
    const res = await call('POST', '/v1/grids', {
      key: ws.adminKey,
      rawBody: `\uFEFF${JSON.stringify({ name: 'BOM grid', community: 'East Community' })}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status, res.text).toBe(201);
  });

  it('a declared charset other than UTF-8 is 415', async () => {
    for (const type of ['application/json; charset=iso-8859-1', 'application/json; charset=utf-16le']) {
      const res = await call('POST', '/v1/grids', {
        key: ws.adminKey,
        rawBody: JSON.stringify({ name: 'Latin grid', community: 'East Community' }),
        headers: { 'content-type': type },
      });
      expectProblem(res, 415);
    }
    const utf8 = await call('POST', '/v1/grids', {
      key: ws.adminKey,
      rawBody: JSON.stringify({ name: 'UTF-8 grid', community: 'East Community' }),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(utf8.status).toBe(201);
  });

  it('__proto__, constructor and prototype anywhere in a body are 400 naming them', async () => {
    const cases: [string, string, string][] = [
      ['/v1/grids', '{"name":"P","community":"C","__proto__":{"isAdmin":true}}', '(body)'],
      ['/v1/grids', '{"name":"P","community":"C","constructor":{"prototype":{}}}', '(body)'],
      ['/v1/people/batch', '{"items":[{"__proto__":{"role":"admin"}}]}', 'items.0'],
      ['/v1/people/batch', '{"items":[{"name":"x","prototype":1}]}', 'items.0'],
    ];
    for (const [path, rawBody, where] of cases) {
      const res = await call('POST', path, {
        key: ws.adminKey,
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400);
      expect(res.body.errors, rawBody).toContainEqual({
        path: where,
        message: expect.stringMatching(/^Unrecognized key: "(__proto__|constructor|prototype)"$/),
      });
    }
  });
});

describe('query parameters', () => {
  it('errors name the parameter with a query. prefix', async () => {
    const res = await call('GET', '/v1/people?limit=0', { key: ws.adminKey });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
    const months = await call('GET', '/v1/stats/monthly?from=2026-05&to=2026-01', { key: ws.adminKey });
    expectProblem(months, 400);
    expect(months.body.errors).toEqual([{ path: 'query.to', message: expect.any(String) }]);
    const cursor = await call('GET', '/v1/people?cursor=not-ours', { key: ws.adminKey });
    expectProblem(cursor, 400);
    expect(cursor.body.errors[0].path).toBe('query.cursor');
  });

  it('body errors keep their paths', async () => {
    const res = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'x', role: 'grid', gridIds: ['g_01ARZ3NDEKTSV4RRFFQ69G5FAV'] },
    });
    expectProblem(res, 400);
    expect(res.body.errors[0].path).toBe('gridIds.0');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('%s as a parameter name is 400', async (name) => {
    for (const path of [`/v1/people?${name}=1`, `/v1/grids?limit=5&${name}=x`]) {
      const res = await call('GET', path, { key: ws.adminKey });
      expectProblem(res, 400);
      expect(res.body.errors).toContainEqual({ path: 'query', message: `Unrecognized key: "${name}"` });
    }
  });
});

describe('ID numbers', () => {
  it('a region code that starts with no province is 400 on idNumber', async () => {
    const gridId = await ws.grid('ID grid');
    // Well-formed in every other way: 99 is no province.
    const idNumber = `99010519491231002${checkCharacter('99010519491231002')}`;
    const res = await call('POST', '/v1/people', {
      key: ws.adminKey,
      body: {
        idNumber,
        name: 'Nowhere Born',
        flow: 'inflow',
        gridId,
        address: 'Building 1',
        arrivedOn: '2026-01-05',
        maritalStatus: 'single',
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ path: 'idNumber', message: expect.stringContaining('province') }]);
    expect(res.text).not.toContain(idNumber);
  });
});
