import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { env } from '../../shared/platform/config.js';

/**
 * The local stack's settings, read the same way by every local command (`npm start`,
 * `npm run job`, seed and bench scripts) so they all talk to the same running stack.
 */
export interface LocalSettings {
  port: number;
  dynamoPort: number;
  dataDir: string;
  dynamoEndpoint: string;
}

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

export function localSettings(): LocalSettings {
  const port = portFrom('PORT', 3000);
  const dynamoPort = portFrom('DYNAMODB_PORT', 8000);
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  return { port, dynamoPort, dataDir, dynamoEndpoint: `http://127.0.0.1:${dynamoPort}` };
}

/**
 * Point this process's functions at the local stack: DynamoDB Local's endpoint, the deployment
 * secret kept under DATA_DIR (created once, so ID hashes stay stable across restarts), and
 * Powertools settings for a laptop.
 */
export function useLocalStack(settings: LocalSettings): void {
  mkdirSync(settings.dataDir, { recursive: true });
  process.env[env.dynamoEndpoint] = settings.dynamoEndpoint;
  if (!process.env[env.deploymentSecret]) {
    const file = join(settings.dataDir, 'deployment-secret');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    process.env[env.deploymentSecret] = readFileSync(file, 'utf8').trim();
  }
  process.env.AWS_REGION ??= 'local';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env[env.stage] ??= 'local';
}
