import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../support/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoPort: number;
    dataDir: string;
    port: number;
  }
}

let stack: ChildProcess | undefined;
let dataDir = '';

/**
 * The e2e suite runs against the real local stack: `npm start`'s entry point as a child
 * process on free ports with a fresh DATA_DIR, logging everything (DEBUG) to a file that the
 * last test file (zz-personal-data.test.ts) scans for personal data.
 */
export default async function setup(project: TestProject) {
  dataDir = mkdtempSync(join(tmpdir(), 'registry-e2e-'));
  const port = await freePort();
  const dynamoPort = await freePort();
  const logFile = join(dataDir, 'stack.log');
  const log = createWriteStream(logFile);
  stack = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'infra/local/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(dynamoPort),
      DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      SCHEDULER_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout?.pipe(log);
  stack.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (stack.exitCode !== null) throw new Error(`local stack exited:\n${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${baseUrl}/v1/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000)
      throw new Error(`local stack not healthy in 60 s:\n${readFileSync(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('baseUrl', baseUrl);
  project.provide('dynamoPort', dynamoPort);
  project.provide('dataDir', dataDir);
  project.provide('port', port);

  return async () => {
    const child = stack;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((r) => log.end(() => r()));
    const output = readFileSync(logFile, 'utf8');
    if (!/stopped/.test(output)) throw new Error('the local stack did not report a clean stop');
    rmSync(dataDir, { recursive: true, force: true });
  };
}
