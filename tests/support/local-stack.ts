import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startWatchdog } from '../../infra/local/watchdog.js';
import { freePort } from './ports.js';

/** An unref'd pause: a pending one never keeps the test runner alive. */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

const root = resolve(import.meta.dirname, '../..');

export interface StopReport {
  /** The stack logged "stopped" after SIGTERM (its own shutdown ran). */
  clean: boolean;
  /** The DynamoDB Local process this stack started is gone. */
  dynamoGone: boolean;
  dynamoPid: number | undefined;
}

export interface LocalStack {
  baseUrl: string;
  port: number;
  dynamoPort: number;
  logFile: string;
  /** Everything the stack printed so far. */
  log(): string;
  dynamoEndpoint: string;
  dataDir: string;
  /** Pid of the DynamoDB Local (java) the stack started, read from its log. */
  dynamoPid: number | undefined;
  logTail(lines?: number): string;
  /** SIGTERM the stack, wait for it and its DynamoDB Local to be gone, remove DATA_DIR. Idempotent. */
  stop(): Promise<StopReport>;
}

/**
 * The limits every test stack runs with (infra/local/start.ts reads them from LOCAL_TEST_LIMITS):
 * the authorizer's answer cached 5 s instead of the deployed 30 s (the revocation test waits for
 * it), the stage throttle at 3× the deployed rate (the fuzz paces just under it), and every
 * function's deadline 6× the deployed timeout: `npm test` runs several stacks, Chromium and the
 * other suites on two cores, where a batch of 25 houses was seen to take DynamoDB Local over the
 * deployed 10 s (answered 500, as a Lambda timeout is on AWS). The deployed values themselves are
 * asserted by the infra tests.
 */
export const testStackLimits = {
  authorizerCacheTtlSeconds: 5,
  stageThrottle: { rateLimit: 300, burstLimit: 400 },
  timeoutFactor: 6,
} as const;

/**
 * How long a stopping stack may take before it is killed: its own shutdown (scheduler, poller,
 * host, DynamoDB Local) takes a few seconds, but `npm test` runs several stacks and JVMs on two
 * cores at once, where 20 s was seen not to be enough.
 */
const stopGraceMs = 45_000;

export interface StackOptions {
  /** Log level of the functions (default WARN; the e2e run logs DEBUG and scans it). */
  logLevel?: string;
  /** Reuse ports and DATA_DIR (restart tests); by default free ports and a new temp DATA_DIR. */
  port?: number;
  dynamoPort?: number;
  dataDir?: string;
  /** Keep DATA_DIR on stop (default: remove it unless it was given). */
  keepDataDir?: boolean;
  /** Copy the stack's log here when it stops (under test-output/, not committed): a failed run can be read afterwards. */
  saveLogTo?: string;
  timeoutMs?: number;
}

/**
 * The real local stack (`npm start`'s entry point) as a child process: free ports, a temp
 * DATA_DIR, the scheduler off. Used by the e2e suite, the start/stop tests and the bench.
 */
export async function startStack(options: StackOptions = {}): Promise<LocalStack> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'registry-stack-'));
  const keepDataDir = options.keepDataDir ?? options.dataDir !== undefined;
  const port = options.port ?? (await freePort());
  let dynamoPort = options.dynamoPort ?? (await freePort());
  while (dynamoPort === port) dynamoPort = await freePort();
  const logFile = join(dataDir, `stack-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    // tsx as a loader in ONE process, not the tsx CLI: the CLI passes a SIGTERM on to its child
    // and SIGKILLs it if the child has not confirmed within 30 ms — a starved stack (the whole
    // suite on two cores) was killed that way before its shutdown ran (no "stopped" line).
    ['--import', 'tsx', 'infra/local/start.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DYNAMODB_PORT: String(dynamoPort),
        DATA_DIR: dataDir,
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
        SCHEDULER_DISABLED: 'true',
        // no console, no per-route throttles (see infra/local/start.ts)
        LOCAL_TEST_STACK: 'true',
        LOCAL_TEST_LIMITS: JSON.stringify(testStackLimits),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Both streams feed one log, which is ended once the child's stdio has closed: with the
  // default `end: true` the first stream to end would end the log under the other, and 'exit'
  // can come before the last lines are read (a busy run lost the "stopped" line that way).
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  // If this process dies without stopping the stack, the stack is stopped (and stops its
  // DynamoDB Local itself), and a temp DATA_DIR removed.
  const watchdog = startWatchdog(child, {
    graceSeconds: stopGraceMs / 1000,
    ...(keepDataDir ? {} : { removeAfter: dataDir }),
  });

  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const logTail = (lines = 30) => readLog().trim().split('\n').slice(-lines).join('\n');

  let stopped: Promise<StopReport> | undefined;
  const stack: LocalStack = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    dynamoPort,
    logFile,
    log: readLog,
    dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
    dataDir,
    dynamoPid: undefined,
    logTail,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timedOut = await Promise.race([
            exited.then(() => false),
            sleep(stopGraceMs).then(() => true),
          ]);
          // Killed hard, the stack's own watchdog still takes its DynamoDB Local down.
          if (timedOut) child.kill('SIGKILL');
        }
        await exited; // also when it had exited by itself: its last lines are still being read
        if (watchdog && watchdog.exitCode === null) watchdog.kill('SIGKILL');
        const dynamoGone = await processGone(stack.dynamoPid, `-port ${dynamoPort}`, 10_000);
        await new Promise<void>((r) => log.end(() => r()));
        const clean = /\bstopped\b/.test(readLog());
        if (options.saveLogTo) {
          mkdirSync(dirname(options.saveLogTo), { recursive: true });
          copyFileSync(logFile, options.saveLogTo);
        }
        if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
        return { clean, dynamoGone, dynamoPid: stack.dynamoPid };
      })();
      return stopped;
    },
  };

  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      const tail = logTail();
      await stack.stop();
      throw new Error(`the local stack exited during start-up:\n${tail}`);
    }
    try {
      if ((await fetch(`${stack.baseUrl}/v1/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      const tail = logTail();
      await stack.stop();
      throw new Error(`the local stack was not healthy within ${timeoutMs} ms:\n${tail}`);
    }
    // A ref'd pause: while the stack starts, nothing else may keep this process alive, and an
    // empty event loop would end the test runner with no tests run and exit code 0.
    await new Promise<void>((r) => setTimeout(r, 200));
  }
  const pid = /DynamoDB Local started on port \d+ \(.*pid (\d+)\)/.exec(readLog())?.[1];
  stack.dynamoPid = pid ? Number(pid) : undefined;
  return stack;
}

/** True once `pid` is gone (on Linux also: once it is no longer a process whose command line has `marker`). */
async function processGone(pid: number | undefined, marker: string, timeoutMs: number): Promise<boolean> {
  if (pid === undefined) return false;
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(pid, marker)) return true;
    if (Date.now() > until) return false;
    await sleep(100);
  }
}

function isRunning(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(marker);
  } catch {
    return false;
  }
}
