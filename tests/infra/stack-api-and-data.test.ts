import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistryStack } from '../../infra/registry-stack.js';
import {
  defaultRoute,
  httpFunctions,
  registryTable,
  routes,
  schedules,
  tables,
} from '../../shared/app/index.js';
import type { IndexDefinition, TableDefinition } from '../../shared/platform/table/definition.js';
import {
  http,
  type Json,
  logicalId,
  resource,
  resources,
  statisticsFunction,
  statisticsSubscription,
  synthesize,
} from './support/stack.js';

let prod: RegistryStack;
let template: Template;
let dev: RegistryStack;
let devTemplate: Template;

beforeAll(() => {
  ({ prod, template, dev, devTemplate } = synthesize());
});

describe('HTTP API from the route table', () => {
  const integrationTarget = (fn: string) => {
    const fnId = logicalId(http(prod, fn).fn);
    const [id] = Object.entries(resources(template, 'AWS::ApiGatewayV2::Integration')).find(
      ([, r]) =>
        JSON.stringify(r.Properties.IntegrationUri) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
    ) ?? [undefined];
    expect(id, `integration for ${fn}`).toBeDefined();
    return { 'Fn::Join': ['', ['integrations/', { Ref: id }]] };
  };

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s exists with its authorizer and function',
    (routeKey, route) => {
      const authorizerId = Object.keys(resources(template, 'AWS::ApiGatewayV2::Authorizer'))[0];
      const matches = template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: routeKey },
      });
      expect(Object.keys(matches)).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        ...(route.access === 'public'
          ? { AuthorizationType: 'NONE', AuthorizerId: Match.absent() }
          : { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } }),
        Target: integrationTarget(route.fn),
      });
    },
  );

  it('sends $default to the platform function without an authorizer', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'NONE',
      Target: integrationTarget(defaultRoute.fn),
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + 1);
  });

  it('integrates every function with payload format 2.0', () => {
    const integrations = Object.values(resources(template, 'AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(httpFunctions.length);
    for (const i of integrations) {
      expect(i.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    }
  });

  it('has one Lambda REQUEST authorizer with simple responses, the Authorization header and a short cache', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const [authorizer] = Object.values(resources(template, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      IdentitySource: ['$request.header.Authorization'],
    });
    const ttl = authorizer?.Properties.AuthorizerResultTtlInSeconds as number;
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain(
      logicalId(prod.authorizerFunction.fn),
    );
  });

  it('throttles the default stage and writes JSON access logs without the Authorization header', () => {
    const [stage] = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    const settings = stage?.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(settings.Format.toLowerCase()).not.toContain('authorization');
    expect(settings.Format).not.toContain('$request.header');
    const [logGroupId] = (settings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    expect(resource(template, logGroupId).Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('outputs the API URL', () => {
    template.hasOutput('ApiUrl', {});
  });
});

describe('tables from the table definition', () => {
  const expectedProjection = (index: IndexDefinition) =>
    Array.isArray(index.projection)
      ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] }
      : { ProjectionType: index.projection };
  const keySchema = (pk: string, sk?: string) => [
    { AttributeName: pk, KeyType: 'HASH' },
    ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' }] : []),
  ];
  const tableResource = (stack: RegistryStack, t: Template, def: TableDefinition) =>
    resource(t, logicalId(stack.tables.get(def.name)!));

  it.each(tables.map((t) => [t.name, t] as const))('%s matches its definition', (_name, def) => {
    const table = tableResource(prod, template, def);
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    const props = table.Properties;
    expect(props.KeySchema).toEqual(keySchema(def.partitionKey, def.sortKey));
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.SSESpecification).toMatchObject({ SSEEnabled: true });
    if (def.stream) expect(props.StreamSpecification).toEqual({ StreamViewType: def.stream });
    else expect(props.StreamSpecification).toBeUndefined();
    if (def.timeToLiveAttribute) {
      expect(props.TimeToLiveSpecification).toEqual({
        AttributeName: def.timeToLiveAttribute,
        Enabled: true,
      });
    }
    const gsis = (props.GlobalSecondaryIndexes ?? []) as Json[];
    expect(gsis.map((g) => g.IndexName)).toEqual(def.indexes.map((i) => i.name));
    for (const index of def.indexes) {
      expect(gsis.find((g) => g.IndexName === index.name)).toMatchObject({
        KeySchema: keySchema(index.partitionKey, index.sortKey),
      });
      expect(gsis.find((g) => g.IndexName === index.name)?.Projection, index.name).toStrictEqual(
        expectedProjection(index),
      );
    }
    // Every key attribute is declared as a string, and nothing else is.
    const keyAttributes = new Set([
      def.partitionKey,
      ...(def.sortKey ? [def.sortKey] : []),
      ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]);
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining([...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(props.AttributeDefinitions).toHaveLength(keyAttributes.size);
  });

  it.each(tables.map((t) => [t.name, t] as const))(
    '%s is protected and retained outside dev',
    (_name, def) => {
      const table = tableResource(prod, template, def);
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    },
  );

  it.each(tables.map((t) => [t.name, t] as const))('%s can be torn down in dev', (_name, def) => {
    const table = tableResource(dev, devTemplate, def);
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe('Delete');
  });
});

describe('statistics stream subscription', () => {
  it('maps the registry stream to the statistics function as the subscription says', () => {
    const mappings = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    const props = mappings[0]!.Properties;
    expect(props).toMatchObject({
      FunctionName: { Ref: logicalId(statisticsFunction(prod).fn) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(prod.tables.get(registryTable.name)!), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: statisticsSubscription.batchSize,
      MaximumBatchingWindowInSeconds: statisticsSubscription.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: statisticsSubscription.bisectBatchOnError,
      MaximumRetryAttempts: statisticsSubscription.retryAttempts,
      MaximumRecordAgeInSeconds: statisticsSubscription.maxRecordAgeSeconds,
    });
    expect(props.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(props.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
  });

  it('filters on the NewImage exactly as the subscription lists', () => {
    const [mapping] = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping'));
    const filters = (mapping!.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    const expected = statisticsSubscription.filters.map((filter) => ({
      dynamodb: {
        NewImage: Object.fromEntries(
          Object.entries(filter).map(([attr, values]) => [attr, { S: [...values] }]),
        ),
      },
    }));
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual(expected);
  });

  it('sends failed batches to an encrypted, SSL-only SQS queue kept 14 days', () => {
    const [mapping] = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping'));
    const destination = (mapping!.Properties.DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination as { 'Fn::GetAtt': [string, string] };
    const [queueId, attribute] = destination['Fn::GetAtt'];
    expect(attribute).toBe('Arn');
    const queue = resource(template, queueId);
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('schedules from the schedule list', () => {
  it.each(schedules.map((s) => [s.name, s] as const))(
    '%s fires at its local time and time zone',
    (name, def) => {
      const fn = prod.scheduleFunctions.get(name)!;
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `cron(${def.at.minute} ${def.at.hour} * * ? *)`,
        ScheduleExpressionTimezone: def.timeZone,
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(fn.fn), 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        }),
      });
      // Scheduler invokes asynchronously: a job that still fails after Lambda's retries lands in a DLQ.
      expect(resource(template, logicalId(fn.fn)).Properties).toMatchObject({
        Timeout: def.timeoutSeconds,
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalId(prod.scheduleDlq), 'Arn'] } },
      });
    },
  );

  it('lets exactly the resumable jobs invoke themselves to continue', () => {
    const policies = Object.values(resources(template, 'AWS::IAM::Policy'));
    for (const def of schedules) {
      const fnId = logicalId(prod.scheduleFunctions.get(def.name)!.fn);
      const selfInvoke = policies.filter(
        (p) =>
          JSON.stringify(p.Properties).includes(JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] })) &&
          JSON.stringify(p.Properties).includes('lambda:InvokeFunction') &&
          JSON.stringify(p.Properties.Roles).includes(
            logicalId(prod.scheduleFunctions.get(def.name)!.fn.role!),
          ),
      );
      expect(selfInvoke.length, def.name).toBe(def.resumable ? 1 : 0);
    }
  });

  it('passes each definition’s input as the detail of an EventBridge-shaped event', () => {
    for (const def of schedules) {
      const fnId = logicalId(prod.scheduleFunctions.get(def.name)!.fn);
      const [schedule] = Object.values(resources(template, 'AWS::Scheduler::Schedule')).filter(
        (s) =>
          JSON.stringify((s.Properties.Target as Json).Arn) ===
          JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
      );
      const input = (schedule!.Properties.Target as { Input: { 'Fn::Join': [string, unknown[]] } }).Input;
      const text = input['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '"TOKEN"')).join('');
      const event = JSON.parse(text.replaceAll('""TOKEN""', '"TOKEN"')) as Json;
      expect(event).toMatchObject({ 'detail-type': 'Scheduled Event', detail: def.input });
    }
  });
});
