import { type ChildProcess, spawn } from 'node:child_process';

export interface WatchdogOptions {
  /** Seconds between SIGTERM and SIGKILL. */
  graceSeconds: number;
  /** A directory to remove once the child is gone (absolute path), if any. */
  removeAfter?: string;
}

/**
 * A detached `sh` loop that stops `child` once this Node process is gone — covering what an
 * 'exit' handler cannot (SIGKILL, a crash, a signal nobody handles): SIGTERM, then SIGKILL
 * after the grace period. Ends by itself when either process ends first.
 */
export function startWatchdog(child: ChildProcess, options: WatchdogOptions): ChildProcess | undefined {
  if (process.platform === 'win32' || child.pid === undefined) return undefined;
  const { graceSeconds, removeAfter } = options;
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done`,
    `kill -0 ${child.pid} 2>/dev/null || exit 0`,
    `kill -TERM ${child.pid} 2>/dev/null`,
    `i=0; while kill -0 ${child.pid} 2>/dev/null && [ $i -lt ${graceSeconds} ]; do sleep 1; i=$((i+1)); done`,
    `kill -KILL ${child.pid} 2>/dev/null; ${removeAfter ? `sleep 4; rm -rf '${removeAfter}'; ` : ''}exit 0`,
  ].join('\n');
  try {
    const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}
