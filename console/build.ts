/**
 * `npm run console:build`: type-checks the console (browser sources and these node files), runs
 * the Vite build into console/dist, then gzips the JavaScript the first page load fetches — the
 * entry chunk and every chunk it imports statically — prints the size and fails when it is over
 * the budget. `--skip-typecheck` skips the first step (used by `ensureConsoleBuilt`, so
 * `npm start` does not need the type checker to serve the console).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const consoleDir = resolve(import.meta.dirname);
export const defaultDistDir = join(consoleDir, 'dist');
/** First load, JavaScript, gzipped (issue 11: at most 250 KB). */
export const firstLoadBudgetBytes = 250_000;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export interface FirstLoadSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
  bytes: number;
}

/** The JavaScript a first visit loads: the entry chunk and its static imports (not dynamic ones). */
export function measureFirstLoad(distDir = defaultDistDir): FirstLoadSize {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry chunk, found ${entries.length}`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entries[0]![0]);
  const files = [...seen]
    .map((key) => manifest[key]!.file)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const content = readFileSync(join(distDir, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}

function typecheck(): void {
  const tsc = join(consoleDir, '../node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.json', 'tsconfig.node.json']) {
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(consoleDir, project)], {
      stdio: 'inherit',
    });
    if (run.status !== 0) throw new Error(`console type check failed (${project})`);
  }
}

export async function buildConsole(options: { typecheck?: boolean } = {}): Promise<FirstLoadSize> {
  if (options.typecheck ?? true) typecheck();
  // A production build whatever the caller's environment (vitest runs with NODE_ENV=test,
  // which would make Vite emit a development build).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(consoleDir, 'vite.config.ts'), mode: 'production' });
  return measureFirstLoad();
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  try {
    const size = await buildConsole({ typecheck: !process.argv.includes('--skip-typecheck') });
    for (const f of size.files) console.log(`  ${f.file}  ${kb(f.bytes)}  gzip ${kb(f.gzipBytes)}`);
    const verdict = size.gzipBytes <= firstLoadBudgetBytes ? 'within' : 'OVER';
    console.log(
      `console first-load JavaScript: ${kb(size.gzipBytes)} gzipped (${kb(size.bytes)} raw) — ${verdict} the budget of ${kb(firstLoadBudgetBytes)}`,
    );
    if (size.gzipBytes > firstLoadBudgetBytes) process.exitCode = 1;
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
