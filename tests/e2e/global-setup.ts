import type { TestProject } from 'vitest/node';
import { type LocalStack, startStack } from '../support/local-stack.js';

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
 * process on free ports with a fresh DATA_DIR, logging everything (DEBUG) to a file that the
 * last test file (zz-personal-data.test.ts) scans for personal data.
 */
export default async function setup(project: TestProject) {
  stack = await startStack({ logLevel: 'DEBUG' });
  project.provide('baseUrl', stack.baseUrl);
  project.provide('dynamoPort', stack.dynamoPort);
  project.provide('dataDir', stack.dataDir);
  project.provide('port', stack.port);
  project.provide('logFile', stack.logFile);

  return async () => {
    const report = await stack?.stop();
    if (report && (!report.clean || !report.dynamoGone)) {
      console.error(`the local stack did not stop cleanly: ${JSON.stringify(report)}`);
      process.exitCode = 1;
    }
  };
}
