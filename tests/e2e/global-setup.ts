import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalStack, startStack } from '../support/local-stack.js';
import { scanForPersonalData } from './support/pii-scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoPort: number;
    dataDir: string;
    port: number;
    logFile: string;
  }
}

let stack: LocalStack | undefined;

/**
 * The e2e suite runs against the real local stack: `npm start`'s entry point as a child
 * process on free ports with a fresh DATA_DIR, logging everything (DEBUG) to a file. The
 * teardown — after every e2e file, whatever their names — scans that log and every key, index
 * attribute, index projection and the idempotency table for raw ID numbers, phone numbers and
 * API keys, and fails the run on one.
 */
export default async function setup(project: TestProject) {
  stack = await startStack({
    logLevel: 'DEBUG',
    saveLogTo: resolve(import.meta.dirname, `../../test-output/stacks/${project.name}.log`),
  });
  project.provide('baseUrl', stack.baseUrl);
  project.provide('dynamoPort', stack.dynamoPort);
  project.provide('dataDir', stack.dataDir);
  project.provide('port', stack.port);
  project.provide('logFile', stack.logFile);

  return async () => {
    const current = stack;
    if (!current) return;
    const log = readFileSync(current.logFile, 'utf8');
    const findings =
      log.length === 0
        ? ['the stack wrote no log at all (the scan would prove nothing)']
        : await scanForPersonalData(`http://127.0.0.1:${current.dynamoPort}`, log);
    const report = await current.stop();
    if (!report.clean || !report.dynamoGone) {
      throw new Error(`the local stack did not stop cleanly: ${JSON.stringify(report)}`);
    }
    if (findings.length > 0) {
      throw new Error(`personal data found after the e2e run:\n${findings.join('\n')}`);
    }
  };
}
