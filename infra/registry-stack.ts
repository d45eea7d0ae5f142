import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { consoleDistDir } from '../console/serve.js';
import {
  apiThrottle,
  authorizer as authorizerDefinition,
  defaultRoute,
  httpFunctions,
  routes,
  routeThrottles,
  schedules,
  streamSubscriptions,
  tables,
} from '../shared/app/index.js';
import { env, metricNames, metricsNamespace, serviceName } from '../shared/platform/config.js';
import { continuationMetric, maxContinuationHops } from '../shared/platform/continuation.js';
import { routeKeyOf } from '../shared/platform/http/route.js';
import type {
  DynamoAction,
  ScheduleDefinition,
  StreamSubscription,
  TableAccess,
} from '../shared/platform/module.js';
import { idempotencyTable, registryTable } from '../shared/platform/table/definition.js';
import { ConsoleSite } from './constructs/console-site.js';
import { acknowledge } from './constructs/nag.js';
import {
  authorizerTimeout,
  httpTimeout,
  RegistryFunction,
  type RegistryFunctionProps,
} from './constructs/registry-function.js';
import { createTables } from './constructs/tables.js';

export interface RegistryStackProps extends StackProps {
  /** Deployment stage; `dev` may be destroyed with its data, every other stage is protected. */
  stage: string;
  /** Create the sign-up token secret; sign-up must then present its `signupToken`. */
  requireSignupToken?: boolean;
  /**
   * Anyone may sign up (no token). Outside `dev` one of the two must be chosen explicitly: a
   * stage whose sign-up nobody decided on does not synthesize.
   */
  publicSignup?: boolean;
  /**
   * The web console served by CloudFront with the API under /v1: `distDir` is its build
   * (default console/dist, from `npm run console:build`); synth fails when it has no index.html.
   */
  console?: { distDir?: string };
}

/** More sign-ups than this in an hour raise the alarm (a township signs up once). */
export const signupsPerHourAlarm = 20;

/** The metric every successful sign-up counts (from the API access log). */
export const signupsMetric = 'Signups';

/** How long API Gateway caches an authorizer answer per Authorization header (also the revocation delay). */
export const authorizerCacheTtl = Duration.seconds(authorizerDefinition.cacheTtlSeconds);

const reason = {
  streamStar:
    'X-Ray PutTraceSegments/PutTelemetryRecords (tracing: ACTIVE) and dynamodb:ListStreams (added by the DynamoDB event source to find the stream) do not support resource-level permissions, so IAM requires Resource "*".',
  xray: 'X-Ray PutTraceSegments/PutTelemetryRecords (added by tracing: ACTIVE) do not support resource-level permissions, so IAM requires Resource "*".',
  gsi: 'The /index/* wildcard is scoped to this one table ARN: it covers only the registry table’s own GSIs, all of which are declared in shared/platform/table/definition.ts and read through Query.',
  syncInvoked:
    'Invoked synchronously by API Gateway; a Lambda DeadLetterConfig only applies to asynchronous invocations. Failures return to the caller as problem+json and are counted by the API 5xx alarm.',
  esmInvoked:
    'Invoked synchronously by the DynamoDB stream event source mapping; failed batches go to the mapping’s on-failure SQS destination (alarmed), which is the dead-letter path for stream records.',
  isDlq:
    'This queue is itself a dead-letter destination (terminal): messages stay for 14 days for an operator to inspect and redrive; a redrive policy on it would only move failures further away. Its depth is alarmed.',
  noSecretRotation:
    'The hash key keys HMACs that are stored inside item keys (ID-number guards, byIdNumber index): rotating it would silently break duplicate detection for every stored record. It is generated per deployment, never leaves Secrets Manager and the stack RETAINs it outside dev.',
  noTokenRotation:
    'The sign-up token is a shared invitation secret handed to township operators out of band; rotation is an operator decision (rotate by putting a new value), an automatic rotation would invalidate tokens already handed out without telling anyone.',
  publicRoute:
    'Public by design in the route table (shared/app): readiness, the OpenAPI document and sign-up must work without an API key. Outside dev, sign-up is gated by the sign-up token unless public sign-up was chosen explicitly; it has its own route throttle and every sign-up is counted and alarmed.',
  defaultRoute:
    '$default only answers unmatched requests with problem+json 404/405 from the platform function (no table access); it has to run without an Authorization header to do that.',
};

/**
 * Township Registry on AWS: the tables, one Lambda per route group behind an HTTP API with a Lambda
 * REQUEST authorizer, the statistics stream consumer, the scheduled jobs and their alarms — all built from
 * the single definitions in shared/ (routes, tables, stream subscription, schedules, config).
 */
export class RegistryStack extends Stack {
  readonly stage: string;
  readonly tables: ReadonlyMap<string, dynamodb.Table>;
  readonly httpFunctions: ReadonlyMap<string, RegistryFunction>;
  readonly authorizerFunction: RegistryFunction;
  readonly streamFunctions: ReadonlyMap<string, RegistryFunction>;
  /** The roles HTTP functions assume per tenant (session tag `tenantId`). */
  readonly tenantAccessRoles: Readonly<Record<'read' | 'readWrite', iam.Role>>;
  readonly scheduleFunctions: ReadonlyMap<string, RegistryFunction>;
  readonly api: apigw.HttpApi;
  readonly apiStage: apigw.HttpStage;
  readonly deploymentSecret: secretsmanager.Secret;
  readonly signupTokenSecret?: secretsmanager.Secret;
  readonly statisticsDlq: sqs.Queue;
  readonly scheduleDlq: sqs.Queue;
  readonly alarmTopic: sns.Topic;
  readonly consoleSite: ConsoleSite;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(props.stage)) {
      throw new Error(`stage "${props.stage}" must be lower-case letters, digits and dashes (max 20)`);
    }
    this.stage = props.stage;
    const isDev = props.stage === 'dev';
    if (props.requireSignupToken && props.publicSignup) {
      throw new Error('sign-up: choose either requireSignupToken or publicSignup, not both');
    }
    if (!isDev && !props.requireSignupToken && !props.publicSignup) {
      throw new Error(
        `stage "${props.stage}": sign-up is closed unless someone opens it — deploy with ` +
          '-c requireSignupToken=true (sign-up needs the token in SignupTokenSecret) or ' +
          '-c publicSignup=true (anyone may sign up)',
      );
    }
    const removalPolicy = isDev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    // ---- data -------------------------------------------------------------------------------------
    this.tables = createTables(this, { tables, isDev });
    const registry = this.tables.get(registryTable.name)!;
    const idempotency = this.tables.get(idempotencyTable.name)!;

    this.deploymentSecret = new secretsmanager.Secret(this, 'DeploymentSecret', {
      description: `Township Registry (${props.stage}): key for keyed hashes and cursor signing, JSON {"hashKey": "<64 chars>"}`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'hashKey',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy,
    });
    acknowledge(this.deploymentSecret, { 'AwsSolutions-SMG4': reason.noSecretRotation });

    if (props.requireSignupToken) {
      this.signupTokenSecret = new secretsmanager.Secret(this, 'SignupTokenSecret', {
        description: `Township Registry (${props.stage}): token sign-up must present, JSON {"signupToken": "..."}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({}),
          generateStringKey: 'signupToken',
          passwordLength: 40,
          excludePunctuation: true,
        },
        removalPolicy,
      });
      acknowledge(this.signupTokenSecret, { 'AwsSolutions-SMG4': reason.noTokenRotation });
    }

    // ---- queues and alarm topic ---------------------------------------------------------------------
    const deadLetterQueue = (queueId: string) => {
      const queue = new sqs.Queue(this, queueId, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
      acknowledge(queue, { 'Serverless-SQSRedrivePolicy': reason.isDlq });
      return queue;
    };
    this.statisticsDlq = deadLetterQueue('StatisticsDlq');
    // AwsSolutions-SQS3 recognises a queue used as a Lambda DeadLetterConfig (the schedule queue), but
    // not one used as an event source mapping's on-failure destination.
    acknowledge(this.statisticsDlq, { 'AwsSolutions-SQS3': reason.isDlq });
    this.scheduleDlq = deadLetterQueue('ScheduleDlq');

    // CloudWatch can only publish to an encrypted topic whose key policy lets it use the key, which the
    // AWS managed aws/sns key does not: hence a small customer managed key, rotated yearly.
    const alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      description: `Township Registry (${props.stage}): encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy,
    });
    alarmKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Township Registry ${props.stage} alarms`,
      masterKey: alarmKey,
      enforceSSL: true,
    });
    // enforceSSL makes a topic policy (its TLS-only Deny), and a topic policy replaces the default
    // one that let the account's services publish: without this statement no alarm ever arrives.
    // Only CloudWatch, only for this account, only alarms of this stack's region.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    const alarmAction = new cwActions.SnsAction(this.alarmTopic);

    // ---- functions ---------------------------------------------------------------------------------
    const baseEnvironment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [env.stage]: props.stage,
    };
    const registryIndexArns = `Resource::<${this.getLogicalId(registry.node.defaultChild as dynamodb.CfnTable)}.Arn>/index/*`;
    // Every function: the base environment, its own log group and role; table access is granted
    // per kind below (HTTP: tenant roles and platform items; jobs and streams: their tableActions).
    const makeFunction: MakeFunction = (fnId, { starReason, environment: extra, ...fnProps }) => {
      const made = new RegistryFunction(this, fnId, {
        ...fnProps,
        environment: { ...baseEnvironment, ...extra },
        logRemovalPolicy: removalPolicy,
      });
      acknowledge(made, { 'AwsSolutions-IAM5[Resource::*]': starReason ?? reason.xray });
      return made;
    };
    // A job or stream consumer holds exactly the table actions its definition lists (what its code
    // sends); only a Query may reach the indexes. Never grantReadWriteData: that adds Scan,
    // BatchWriteItem, DescribeTable and stream reads nothing here uses.
    const grantTableActions = (
      made: RegistryFunction,
      def: { name: string; tableActions?: readonly DynamoAction[]; tableAccess?: TableAccess },
    ) => {
      const actions = def.tableActions ?? [];
      if (actions.length === 0)
        throw new Error(`${def.name}: list its tableActions (the DynamoDB actions its code sends)`);
      const writes = actions.some((a) => /:(Put|Update|Delete)Item$/.test(a));
      if (def.tableAccess !== undefined && writes !== (def.tableAccess === 'readWrite'))
        throw new Error(`${def.name}: tableAccess ${def.tableAccess} disagrees with its tableActions`);
      made.fn.addEnvironment(env.registryTable, registry.tableName);
      made.role.addToPolicy(
        new iam.PolicyStatement({ actions: [...actions], resources: [registry.tableArn] }),
      );
      if (actions.includes('dynamodb:Query')) {
        made.role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: [`${registry.tableArn}/index/*`],
          }),
        );
        acknowledge(made, { [`AwsSolutions-IAM5[${registryIndexArns}]`]: reason.gsi });
      }
    };
    const useDeploymentSecret = (made: RegistryFunction) => {
      made.fn.addEnvironment(env.deploymentSecretArn, this.deploymentSecret.secretArn);
      this.deploymentSecret.grantRead(made.fn);
    };

    // HTTP: one function per route group. None may reach the registry table with its own role,
    // except for the platform-level items its definition names (exact actions, exact leading
    // keys); a tenant's items are reached only through a tenant access role, assumed per tenant
    // with the tenant as a session tag.
    const http = new Map<string, RegistryFunction>();
    const assumers: Record<'read' | 'readWrite', RegistryFunction[]> = { read: [], readWrite: [] };
    for (const def of httpFunctions) {
      const made = makeFunction(`Http${pascal(def.name)}`, {
        entry: def.entry,
        description: `HTTP: ${def.description}`,
        timeout: httpTimeout,
      });
      acknowledge(made, { 'Serverless-LambdaDLQ': reason.syncInvoked });
      const reachesTable = def.tableAccess !== 'none' || def.platformAccess !== undefined;
      if (reachesTable) {
        made.fn.addEnvironment(env.registryTable, registry.tableName);
        useDeploymentSecret(made);
      }
      if (def.tableAccess !== 'none') assumers[def.tableAccess].push(made);
      if (def.platformAccess) {
        made.role.addToPolicy(
          new iam.PolicyStatement({
            actions: [...def.platformAccess.actions],
            resources: [registry.tableArn],
            conditions: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...def.platformAccess.leadingKeys] },
              Null: { 'dynamodb:LeadingKeys': 'false' },
            },
          }),
        );
      }
      if (routes.some((r) => r.fn === def.name && r.method === 'POST')) {
        made.fn.addEnvironment(env.idempotencyTable, idempotency.tableName);
        idempotency.grantReadWriteData(made.fn);
      }
      http.set(def.name, made);
    }
    this.tenantAccessRoles = {
      read: this.tenantAccessRole('TenantReadRole', 'read', assumers.read, registry),
      readWrite: this.tenantAccessRole('TenantReadWriteRole', 'readWrite', assumers.readWrite, registry),
    };
    const signupFunction = http.get(routes.find((r) => r.path === '/v1/signup')?.fn ?? '');
    if (this.signupTokenSecret && signupFunction) {
      signupFunction.fn.addEnvironment(env.signupTokenSecretArn, this.signupTokenSecret.secretArn);
      this.signupTokenSecret.grantRead(signupFunction.fn);
    }
    this.httpFunctions = http;

    // Authorizer: resolves an API key by its hash with one GetItem, nothing else.
    this.authorizerFunction = makeFunction('Authorizer', {
      entry: authorizerDefinition.entry,
      description: 'HTTP API Lambda authorizer (API keys)',
      timeout: authorizerTimeout,
    });
    this.authorizerFunction.fn.addEnvironment(env.registryTable, registry.tableName);
    // The API-key lookup and the tenant item (the settings it passes on): GetItem; and the
    // lookup's last-used day: UpdateItem of lookups only.
    const leadingKeys = (keys: string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
    this.authorizerFunction.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [registry.tableArn],
        conditions: leadingKeys(['APIKEY#*', 'TENANT#*']),
      }),
    );
    this.authorizerFunction.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [registry.tableArn],
        conditions: leadingKeys(['APIKEY#*']),
      }),
    );
    acknowledge(this.authorizerFunction, { 'Serverless-LambdaDLQ': reason.syncInvoked });

    // Stream consumers (the statistics engine keeps the counters: its declared table actions).
    this.streamFunctions = new Map(
      streamSubscriptions.map((sub) => {
        const made = this.streamConsumer(sub, makeFunction, registry);
        grantTableActions(made, sub);
        return [sub.name, made];
      }),
    );
    const statisticsFunction = this.streamFunctions.get('statistics')!;

    // Scheduled jobs.
    const scheduled = new Map<string, RegistryFunction>();
    for (const def of schedules) {
      const made = this.scheduledJob(def, makeFunction);
      grantTableActions(made, def);
      scheduled.set(def.name, made);
    }
    this.scheduleFunctions = scheduled;

    // ---- HTTP API ----------------------------------------------------------------------------------
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `township-registry-${props.stage}`,
      description: 'Township Registry HTTP API (routes from shared/app)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    this.apiStage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // Structured, and deliberately without any request header (never the Authorization header).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', this.authorizerFunction.fn, {
      authorizerName: 'api-key',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: authorizerCacheTtl,
    });
    const noAuthorizer = new apigw.HttpNoneAuthorizer();
    const routeByKey = new Map<string, apigw.HttpRoute>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (name: string) => {
      let integration = integrations.get(name);
      if (!integration) {
        const target = http.get(name);
        if (!target) throw new Error(`route table names an unknown function ${name}`);
        integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, target.fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(name, integration);
      }
      return integration;
    };
    for (const route of routes) {
      const isPublic = route.access === 'public';
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.fn),
        authorizer: isPublic ? noAuthorizer : authorizer,
      });
      if (isPublic && created) acknowledge(created, { 'AwsSolutions-APIG4': reason.publicRoute });
      if (created) routeByKey.set(routeKeyOf(route), created);
    }
    // Route throttles tighter than the stage's (sign-up), from THE map the local host applies too.
    // A route setting must name a route that exists when the stage is deployed: hence DependsOn.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const [routeKey, throttle] of Object.entries(routeThrottles)) {
      const throttled = routeByKey.get(routeKey);
      if (!throttled) throw new Error(`routeThrottles names ${routeKey}, which is not in the route table`);
      routeSettings[routeKey] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      };
      this.apiStage.node.addDependency(throttled);
    }
    (this.apiStage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
    const fallback = new apigw.HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: apigw.HttpRouteKey.DEFAULT,
      integration: integrationFor(defaultRoute.fn),
      authorizer: noAuthorizer,
    });
    acknowledge(fallback, { 'AwsSolutions-APIG4': reason.defaultRoute });

    // ---- web console -------------------------------------------------------------------------------
    // The console's build behind CloudFront, and the API under /v1 of the same origin (no CORS).
    this.consoleSite = new ConsoleSite(this, 'Console', {
      api: this.api,
      apiStage: this.apiStage,
      distDir: props.console?.distDir ?? consoleDistDir,
      isDev,
      removalPolicy,
      stage: props.stage,
    });

    // ---- alarms ------------------------------------------------------------------------------------
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(alarmAction);
      return created;
    };
    alarm('Api5xxAlarm', {
      alarmDescription: 'The HTTP API answered 5xx in the last 5 minutes (no client input may cause one).',
      metric: this.apiStage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('StatisticsIteratorAgeAlarm', {
      alarmDescription: 'The statistics stream consumer is more than 60 s behind the table stream.',
      metric: statisticsFunction.fn.metric('IteratorAge', {
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    alarm('StatisticsDlqDepthAlarm', {
      alarmDescription:
        'Stream records the statistics consumer gave up on are waiting in its dead-letter queue.',
      metric: this.statisticsDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('ScheduleDlqDepthAlarm', {
      alarmDescription: 'A scheduled job failed after its retries (or could not be delivered).',
      metric: this.scheduleDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('CounterDriftAlarm', {
      alarmDescription:
        'The nightly reconciliation found (and repaired) counters that disagreed with the records.',
      metric: new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName: metricNames.counterDrift,
        dimensionsMap: { service: serviceName },
        period: Duration.hours(1),
        statistic: 'Sum',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // Every sign-up is a line of the access log (route key, status, source IP, request id): counted
    // there, so the number does not depend on any function's code, and alarmed on a burst.
    const signups = new logs.MetricFilter(this, 'SignupsMetricFilter', {
      logGroup: accessLogs,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.routeKey', '=', 'POST /v1/signup'),
        logs.FilterPattern.stringValue('$.status', '=', '201'),
      ),
      metricNamespace: metricsNamespace,
      metricName: signupsMetric,
      metricValue: '1',
    });
    alarm('SignupsAlarm', {
      alarmDescription: `More than ${signupsPerHourAlarm} sign-ups in an hour: a township signs up once; look at the access log (POST /v1/signup, source IPs).`,
      metric: signups.metric({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: signupsPerHourAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    alarm('ContinuationHopLimitAlarm', {
      alarmDescription: `A resumable job stopped at the continuation limit (${maxContinuationHops} rounds) without finishing its pass.`,
      metric: new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName: continuationMetric,
        dimensionsMap: { service: serviceName },
        period: Duration.hours(1),
        statistic: 'Sum',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // ---- outputs -----------------------------------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'RegistryTableName', { value: registry.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe operators here',
    });
    new CfnOutput(this, 'DeploymentSecretArn', { value: this.deploymentSecret.secretArn });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `https://${this.consoleSite.distribution.distributionDomainName}`,
      description: 'The web console (and the API under /v1 of the same origin)',
    });
    new CfnOutput(this, 'ConsoleBucketName', {
      value: this.consoleSite.bucket.bucketName,
      description: 'The console build (deployed by the stack; versioned)',
    });
    if (this.signupTokenSecret) {
      new CfnOutput(this, 'SignupTokenSecretArn', {
        value: this.signupTokenSecret.secretArn,
        description: 'Read the token with: aws secretsmanager get-secret-value --secret-id <arn>',
      });
    }
  }

  /**
   * A role that serves one tenant at a time: assumed by the HTTP functions with the tenant as
   * the session tag `tenantId`, it allows the table's actions only on items (and index entries)
   * whose partition key is the tenant's: `TENANT#<tenantId>` or `TENANT#<tenantId>#…`. A request
   * with no leading key (a Scan) matches nothing.
   */
  private tenantAccessRole(
    id: string,
    access: 'read' | 'readWrite',
    assumers: readonly RegistryFunction[],
    registry: dynamodb.Table,
  ): iam.Role {
    const role = new iam.Role(this, id, {
      description: `Township Registry: one tenant's items (${access}), assumed with the tenant as session tag`,
      assumedBy: new iam.CompositePrincipal(
        ...(assumers.length > 0 ? assumers : []).map((f) =>
          new iam.ArnPrincipal(f.role.roleArn).withSessionTags(),
        ),
        // A role's trust policy needs a principal even when no function assumes it yet.
        ...(assumers.length === 0 ? [new iam.AccountRootPrincipal()] : []),
      ),
      maxSessionDuration: Duration.hours(1),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...tenantActions[access]],
        resources: [registry.tableArn, `${registry.tableArn}/index/*`],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...tenantLeadingKeys] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
    acknowledge(role, {
      [`AwsSolutions-IAM5[Resource::<${this.getLogicalId(registry.node.defaultChild as dynamodb.CfnTable)}.Arn>/index/*]`]:
        reason.gsi,
    });
    for (const f of assumers) {
      f.fn.addEnvironment(env.tenantAccessRoleArn, role.roleArn);
      f.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [role.roleArn] }),
      );
    }
    return role;
  }

  private streamConsumer(
    sub: StreamSubscription,
    makeFunction: MakeFunction,
    registry: dynamodb.Table,
  ): RegistryFunction {
    const made = makeFunction(`Stream${pascal(sub.name)}`, {
      entry: sub.entry,
      description: `Stream consumer: ${sub.name}`,
      timeout: Duration.seconds(sub.timeoutSeconds),
      starReason: reason.streamStar,
    });
    acknowledge(made, { 'Serverless-LambdaDLQ': reason.esmInvoked });
    made.fn.addEventSource(
      new DynamoEventSource(registry, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: sub.batchSize,
        maxBatchingWindow: Duration.seconds(sub.maxBatchingWindowSeconds),
        retryAttempts: sub.retryAttempts,
        maxRecordAge: Duration.seconds(sub.maxRecordAgeSeconds),
        bisectBatchOnError: sub.bisectBatchOnError,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.statisticsDlq),
        filters: sub.filters.map((filter) => lambda.FilterCriteria.filter(streamFilter(filter))),
      }),
    );
    return made;
  }

  private scheduledJob(def: ScheduleDefinition, makeFunction: MakeFunction): RegistryFunction {
    const made = makeFunction(`Job${pascal(def.name)}`, {
      entry: def.entry,
      description: `Scheduled: ${def.description}`,
      timeout: Duration.seconds(def.timeoutSeconds),
      // EventBridge Scheduler invokes asynchronously: a failed job (after Lambda's retries) lands here.
      deadLetterQueue: this.scheduleDlq,
      // A resumable job's chain of self-invocations is bounded by the hop counter in its event
      // (shared/platform/continuation.ts: maxContinuationHops, alarmed), not cut by Lambda's
      // recursive-loop detection after ~16 rounds; every other function keeps that detection.
      ...(def.resumable ? { recursiveLoop: lambda.RecursiveLoop.ALLOW } : {}),
    });

    if (def.resumable) {
      // It may continue in a new invocation of itself (shared/continuation.ts). A separate policy,
      // not the role's default one, so the function does not depend on its own ARN (no cycle).
      new iam.Policy(this, `${pascal(def.name)}Continuation`, {
        roles: [made.fn.role as iam.IRole],
        statements: [
          new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [made.fn.functionArn] }),
        ],
      });
    }

    // A role of our own with exactly the two permissions the schedule needs (LambdaInvoke's generated
    // role would add `<function arn>:*`). Passed as immutable so the target adds nothing to it.
    const role = new iam.Role(this, `${pascal(def.name)}ScheduleRole`, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `EventBridge Scheduler: invoke ${def.name}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [made.fn.functionArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.scheduleDlq.queueArn] }),
    );

    new scheduler.Schedule(this, `${pascal(def.name)}Schedule`, {
      description: def.description,
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(def.at.minute),
        hour: String(def.at.hour),
        timeZone: TimeZone.of(def.timeZone),
      }),
      target: new LambdaInvoke(made.fn, {
        role: role.withoutPolicyUpdates(),
        deadLetterQueue: this.scheduleDlq,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        // The same envelope the local scheduler sends (EventBridge "Scheduled Event" shape); the
        // definition's input is the `detail`.
        input: scheduler.ScheduleTargetInput.fromObject({
          version: '0',
          id: scheduler.ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          account: Aws.ACCOUNT_ID,
          time: scheduler.ContextAttribute.scheduledTime,
          region: Aws.REGION,
          resources: [scheduler.ContextAttribute.scheduleArn],
          detail: def.input,
        }),
      }),
    });
    return made;
  }
}

/** What a tenant session may do with the tenant's own items. */
export const tenantActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

/** The tenant's partition keys, by the session tag (IAM policy variables, not CDK tokens). */
export const tenantLeadingKeys = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by IAM
  'TENANT#${aws:PrincipalTag/tenantId}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by IAM
  'TENANT#${aws:PrincipalTag/tenantId}#*',
];

type MakeFunctionProps = Omit<RegistryFunctionProps, 'logRemovalPolicy' | 'environment'> & {
  environment?: Record<string, string>;
  /** Why this function's `Resource: "*"` statements are unavoidable (default: X-Ray only). */
  starReason?: string;
};
type MakeFunction = (id: string, props: MakeFunctionProps) => RegistryFunction;

/** `{ entity: ['history'], action: ['verified'] }` → a DynamoDB-stream filter pattern on NewImage. */
export function streamFilter(filter: Readonly<Record<string, readonly string[]>>): Record<string, unknown> {
  const newImage: Record<string, unknown> = {};
  for (const [attribute, values] of Object.entries(filter)) {
    newImage[attribute] = { S: lambda.FilterRule.or(...values) };
  }
  return { dynamodb: { NewImage: newImage } };
}

const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
