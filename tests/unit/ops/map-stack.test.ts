import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundlingOptions } from '../../../infra/constructs/registry-function.js';
import { loadSourceMap, mapStack } from '../../../infra/map-stack.js';

/**
 * Issue 10, point 7: with the functions' own esbuild options (minified, a map without sources,
 * no --enable-source-maps), a stack trace from the bundle is unreadable as logged, and mapped back
 * to the original file, line and function name offline.
 */
const dir = mkdtempSync(join(tmpdir(), 'map-stack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mapping a logged stack trace back to the sources', () => {
  it('turns index.mjs frames into the original file, line and name', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        'export function registerArrival(name: string): never {',
        "  const message = 'cannot register ' + name;",
        '  throw new Error(message);',
        '}',
        'try { registerArrival("x"); } catch (e) { console.log((e as Error).stack); }',
        '',
      ].join('\n'),
    );
    await build({
      entryPoints: [entry],
      outfile: join(dir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: bundlingOptions.target,
      minify: bundlingOptions.minify,
      sourcemap: bundlingOptions.sourceMap,
      sourcesContent: bundlingOptions.sourcesContent,
      logLevel: 'silent',
    });
    const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();

    const logged = execFileSync(process.execPath, [join(dir, 'index.mjs')], { encoding: 'utf8' });
    expect(logged).toMatch(/index\.mjs:1:\d+/);
    expect(logged).not.toContain('entry.ts');

    const mapped = mapStack(logged, loadSourceMap(dir));
    expect(mapped).toContain('cannot register x');
    expect(mapped).toMatch(/entry\.ts:3:\d+/);
    expect(mapped).not.toMatch(/index\.mjs:\d+:\d+/);
  });
});
