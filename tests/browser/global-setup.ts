import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type BrowserServer, chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { type LocalStack, startStack } from '../support/local-stack.js';
import { type ConsoleServer, startConsoleServer } from './support/console-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    consoleUrl: string;
    apiUrl: string;
    browserWsEndpoint: string;
  }
}

const root = resolve(import.meta.dirname, '../..');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: LocalStack | undefined;
let server: ConsoleServer | undefined;
let browser: BrowserServer | undefined;

/**
 * The browser tests' world: the console built (type check, Vite, first-load size budget —
 * `npm run console:build`), the real local stack on free ports, one origin serving
 * console/dist and proxying /v1 to the stack, and one Chromium (Debian's) that every test
 * file connects to.
 */
export default async function setup(project: TestProject) {
  const build = spawnSync(
    process.execPath,
    [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'console/build.ts'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`console build failed:\n${build.stdout}\n${build.stderr}`);
  const size = /console first-load JavaScript: [^\n]*/.exec(build.stdout)?.[0];
  if (!size) throw new Error(`the console build printed no size:\n${build.stdout}`);
  console.log(size);

  try {
    stack = await startStack({ saveLogTo: resolve(root, 'test-output/stacks/browser.log') });
    server = await startConsoleServer(stack.baseUrl);
    browser = await chromium.launchServer({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--font-render-hinting=none'],
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('consoleUrl', server.url);
  project.provide('apiUrl', stack.baseUrl);
  project.provide('browserWsEndpoint', browser.wsEndpoint());
  return teardown;
}

async function teardown(): Promise<void> {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  await stack?.stop();
  browser = undefined;
  server = undefined;
  stack = undefined;
}
