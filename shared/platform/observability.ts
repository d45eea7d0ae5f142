import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { metricsNamespace, serviceName } from './config.js';

/**
 * The Powertools singletons, created once per process and imported everywhere. Log lines carry
 * tenantId, keyId and requestId (appended per invocation), never a secret, ID or phone number.
 */
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName });
export const tracer = new Tracer({ serviceName });
