import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { closeStaleInEveryTenant } from '../../shared/modules/people/jobs.js';
import { logger, metrics } from '../../shared/platform/observability.js';

export const run = closeStaleInEveryTenant;

export const handler = middy(run)
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
