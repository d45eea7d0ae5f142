import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { engine } from '../../shared/app/index.js';
import { type ReconcileInput, reconcileEveryTenant } from '../../shared/modules/statistics/jobs.js';
import { logger, metrics } from '../../shared/platform/observability.js';

export const run = (event: { time?: string; detail?: ReconcileInput } | undefined, context: Context) =>
  reconcileEveryTenant(engine, event, context);

export const handler = middy(run)
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
