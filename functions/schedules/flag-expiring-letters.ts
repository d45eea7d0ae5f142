import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { flagExpiringLettersInEveryTenant } from '../../shared/modules/housing/letters/jobs.js';
import { logger, metrics } from '../../shared/platform/observability.js';

export const run = (
  event?: object | null,
  context?: Parameters<typeof flagExpiringLettersInEveryTenant>[1],
) => flagExpiringLettersInEveryTenant(event, context);

export const handler = middy(run)
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
