import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { engine } from '../../shared/app/index.js';
import { aggregate as aggregateWith } from '../../shared/modules/statistics/aggregate.js';
import { logger, metrics } from '../../shared/platform/observability.js';

export const aggregate = (event: DynamoDBStreamEvent) => aggregateWith(engine, event);

export const handler = middy(aggregate)
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
