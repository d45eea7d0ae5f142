/**
 * Names of the environment variables every function reads. The AWS stack sets them; the local
 * host sets the local equivalents. Nothing else invents an environment variable name.
 */
export const env = {
  registryTable: 'REGISTRY_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** AWS: Secrets Manager secret (JSON `{ "hashKey": "..." }`) used for keyed hashes and cursor signing. */
  deploymentSecretArn: 'DEPLOYMENT_SECRET_ARN',
  /** Local: the secret itself (the local host generates and keeps one under DATA_DIR). */
  deploymentSecret: 'DEPLOYMENT_SECRET',
  /** AWS: optional Secrets Manager secret (JSON `{ "signupToken": "..." }`); when set, sign-up must present it. */
  signupTokenSecretArn: 'SIGNUP_TOKEN_SECRET_ARN',
  /** Local: the sign-up token itself. */
  signupToken: 'SIGNUP_TOKEN',
  stage: 'STAGE',
  /** Local only: where DynamoDB Local answers. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
} as const;

export const serviceName = 'township-registry';
export const metricsNamespace = 'TownshipRegistry';

/** Metric names that alarms are built on (the stack and the code must agree). */
export const metricNames = {
  counterDrift: 'CounterDrift',
  staleRegistrationsClosed: 'StaleRegistrationsClosed',
  counterBatchesApplied: 'CounterBatchesApplied',
} as const;
