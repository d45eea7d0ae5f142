import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSecurityHeaders, serveConsole } from '../../console/serve.js';

/** serveConsole on a throw-away build folder: what it answers, and what it leaves to the host. */
let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
  mkdirSync(join(dist, 'assets'));
  mkdirSync(join(dist, '.vite'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dist, 'assets/index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets/index-abc123.css'), 'body{}');
  writeFileSync(join(dist, '.vite/manifest.json'), '{}');
  server = createServer((req, res) => {
    if (serveConsole(req, res, { distDir: dist })) return;
    res.writeHead(599).end('host');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dist, { recursive: true, force: true });
});

const get = (path: string, method = 'GET') => fetch(`${base}${path}`, { method });

/** A request with the target exactly as given (fetch would normalize it). */
function rawStatus(target: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: target, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('serveConsole', () => {
  it('serves index.html, hashed assets with their types and caching, and the security headers', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    for (const [name, value] of Object.entries(consoleSecurityHeaders))
      expect(index.headers.get(name)).toBe(value);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe');

    const js = await get('/assets/index-abc123.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('/assets/index-abc123.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await get('/', 'HEAD')).status).toBe(200);
  });

  it('answers any other extension-less path with index.html (the console routes in the browser)', async () => {
    for (const path of ['/people', '/people/p_01ABC', '/signin?x=1']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>x</title>');
    }
  });

  it('leaves the API, other methods, missing files, dot-files and escapes to the host', async () => {
    for (const path of [
      '/v1',
      '/v1/health',
      '/v1/people/x',
      '/missing.js',
      '/assets/nope.css',
      '/.vite/manifest.json',
      '/%2e%2e/package.json',
    ]) {
      expect((await get(path)).status, path).toBe(599);
    }
    // A dot-dot the URL parser resolves first is just another console path, never a file outside.
    expect(await (await get('/assets/%2e%2e/%2e%2e/etc/passwd')).text()).toContain('<title>x</title>');
    expect((await get('/', 'POST')).status).toBe(599);
    // Paths with empty segments are API paths too (the local host ignores empty segments).
    for (const target of ['//v1/grids', '/v1//people', '///v1'])
      expect(await rawStatus(target), target).toBe(599);
    expect((await get('/people', 'DELETE')).status).toBe(599);
  });
});
