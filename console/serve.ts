/**
 * Serves the built console (console/dist) from a Node HTTP server: index.html and the hashed
 * assets with their content types and security headers, and index.html for any other
 * extension-less path that is not under /v1 (the console routes in the browser). The local
 * host calls `serveConsole` for each request that is not for the API, after
 * `ensureConsoleBuilt()` once at start-up.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const consoleDir = resolve(import.meta.dirname);
const repoRoot = resolve(consoleDir, '..');
export const consoleDistDir = join(consoleDir, 'dist');

/**
 * The page's security headers (also what CloudFront's response-headers policy should send).
 * No inline script, no eval; styles from the console's own files (libraries set element
 * styles through the CSSOM, which `style-src 'self'` allows).
 */
export const consoleSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ServeConsoleOptions {
  /** The build output (default console/dist). */
  distDir?: string;
}

/**
 * Answers `req` from the console build when it is a GET or HEAD for something other than
 * /v1: a file of the build, or index.html for an extension-less path (SPA fallback). Returns
 * false — having written nothing — for anything it does not serve (API paths, other methods,
 * missing files with an extension, no build), so the caller answers as it would have.
 */
export function serveConsole(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeConsoleOptions = {},
): boolean {
  const distDir = resolve(options.distDir ?? consoleDistDir);
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // The path as sent (not through new URL(): `//v1/grids` would become host "v1"), with the
  // empty segments collapsed the way the local host reads API paths.
  const target = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  if (!target.startsWith('/')) return false;
  let pathname: string;
  try {
    pathname = decodeURIComponent(target).replace(/\/{2,}/g, '/');
  } catch {
    return false;
  }
  if (pathname === '/v1' || pathname.startsWith('/v1/') || pathname.includes('\0')) return false;

  const relative = normalize(pathname).replace(/^([/\\])+/, '');
  // Nothing outside the build, and no dot-files or dot-folders (.vite/manifest.json).
  if (relative.split(/[/\\]/).some((part) => part === '..' || part.startsWith('.'))) return false;
  const candidate = join(distDir, relative);
  if (candidate !== distDir && !candidate.startsWith(distDir + sep)) return false;

  const file = fileStats(candidate);
  if (file) return send(req, res, candidate, file, relative.startsWith('assets/'));
  if (extname(relative) !== '') return false;
  const index = join(distDir, 'index.html');
  const indexStats = fileStats(index);
  if (!indexStats) return false;
  return send(req, res, index, indexStats, false);
}

function fileStats(path: string): Stats | undefined {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  stats: Stats,
  immutable: boolean,
): boolean {
  res.statusCode = 200;
  for (const [name, value] of Object.entries(consoleSecurityHeaders)) res.setHeader(name, value);
  res.setHeader('content-type', contentTypes[extname(path)] ?? 'application/octet-stream');
  res.setHeader('content-length', stats.size);
  // Hashed assets never change; index.html is checked every time so a new build is picked up.
  res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}

/** What the build reads: when any of it is newer than dist/index.html, the build is stale. */
const buildInputs = [
  'console/src',
  'console/public',
  'console/index.html',
  'console/vite.config.ts',
  'shared/modules/people/rules',
  'shared/platform/dates.ts',
  'package-lock.json',
];

function newestMtime(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether console/dist is missing or older than any of the console's sources. */
export function consoleBuildIsStale(distDir = consoleDistDir): boolean {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return buildInputs.some((input) => newestMtime(join(repoRoot, input)) > built);
}

/**
 * Builds the console (console/build.ts in a child process, without the type check) when
 * console/dist is missing or older than its sources; resolves when it is up to date. Rejects
 * with the build's output when the build fails.
 */
export async function ensureConsoleBuilt(
  options: { log?: (line: string) => void; force?: boolean } = {},
): Promise<void> {
  if (!options.force && !consoleBuildIsStale()) return;
  options.log?.('building the console (console/dist) …');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(consoleDir, 'build.ts'), '--skip-typecheck'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('close', done));
  if (code !== 0) throw new Error(`the console build failed:\n${output}`);
  const size = /console first-load JavaScript: [^\n]*/.exec(output)?.[0];
  options.log?.(`console built in ${Date.now() - started} ms${size ? ` — ${size}` : ''}`);
}
