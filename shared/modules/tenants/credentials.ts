import { createHash, randomBytes } from 'node:crypto';

/** API keys: 256-bit random secrets; only their SHA-256 is stored. */
export function newApiKeySecret(): string {
  return `trk_${randomBytes(32).toString('base64url')}`;
}

export function apiKeyHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
