import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistryStack } from '../../infra/registry-stack.js';
import { httpFunctions, registryTable, routes, schedules } from '../../shared/app/index.js';
import { env, metricNames, metricsNamespace, serviceName } from '../../shared/platform/config.js';
import {
  http,
  logicalId,
  resource,
  resources,
  statementsOfRole,
  statisticsFunction,
  synthesize,
  writeActions,
} from './support/stack.js';

let prod: RegistryStack;
let template: Template;
let dev: RegistryStack;
let devTemplate: Template;

beforeAll(() => {
  ({ prod, template, dev, devTemplate } = synthesize());
});

describe('Lambda functions', () => {
  // The app's functions: every one but CDK's BucketDeployment handler (the console's files, at
  // deploy time only; tests/infra/console-site.test.ts).
  const functions = () =>
    Object.entries(resources(template, 'AWS::Lambda::Function')).filter(
      ([id]) => id !== logicalId(prod.consoleSite.deploymentHandler),
    );

  it('are exactly the route groups, the authorizer, the stream consumer and the jobs', () => {
    expect(functions()).toHaveLength(httpFunctions.length + 2 + schedules.length);
    expect(Object.keys(resources(template, 'AWS::Lambda::Function'))).toHaveLength(functions().length + 1);
  });

  it('run nodejs24.x on arm64 with X-Ray active, 1024 MB and their own log group', () => {
    for (const [id, fn] of functions()) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 1024,
        Handler: 'index.handler',
      });
      const logGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resource(template, logGroup).Properties.RetentionInDays, id).toBe(30);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      // no --enable-source-maps: see tests/infra/operations.test.ts (cold starts)
      expect(variables.NODE_OPTIONS, id).toBeUndefined();
      expect(variables, id).toMatchObject({
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        POWERTOOLS_LOG_LEVEL: expect.any(String),
        [env.stage]: 'prod',
      });
    }
  });

  it('have the timeouts of their kind', () => {
    const timeoutOf = (c: IConstruct) => resource(template, logicalId(c)).Properties.Timeout;
    for (const { name } of httpFunctions) {
      expect(timeoutOf(http(prod, name).fn)).toBe(10);
    }
    expect(timeoutOf(prod.authorizerFunction.fn)).toBe(5);
    expect(timeoutOf(statisticsFunction(prod).fn)).toBe(60);
  });

  it('get the environment their table access needs', () => {
    const variablesOf = (c: IConstruct, t = template) =>
      (resource(t, logicalId(c)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const def of httpFunctions) {
      const name = def.name;
      const variables = variablesOf(http(prod, name).fn);
      const reachesTable = def.tableAccess !== 'none' || def.platformAccess !== undefined;
      const posts = routes.some((r) => r.fn === name && r.method === 'POST');
      expect(Object.hasOwn(variables, env.registryTable), name).toBe(reachesTable);
      expect(Object.hasOwn(variables, env.deploymentSecretArn), name).toBe(reachesTable);
      expect(Object.hasOwn(variables, env.tenantAccessRoleArn), name).toBe(def.tableAccess !== 'none');
      expect(Object.hasOwn(variables, env.idempotencyTable), name).toBe(posts);
      expect(Object.hasOwn(variables, env.signupTokenSecretArn), name).toBe(name === 'signup');
    }
    expect(variablesOf(prod.authorizerFunction.fn)).not.toHaveProperty(env.deploymentSecretArn);
    expect(variablesOf(prod.authorizerFunction.fn)).toHaveProperty(env.registryTable);
    expect(variablesOf(http(dev, 'signup').fn, devTemplate)).not.toHaveProperty(env.signupTokenSecretArn);
  });
});

describe('IAM least privilege', () => {
  const statementsOf = (fn: { role: IConstruct }) => statementsOfRole(template, logicalId(fn.role));
  const tableArn = () => ({ 'Fn::GetAtt': [logicalId(prod.tables.get(registryTable.name)!), 'Arn'] });

  it('uses no AWS managed policies on any role', () => {
    for (const [id, role] of Object.entries(resources(template, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('gives the stats function no table action of its own, and a read-only tenant role', () => {
    const actions = statementsOf(http(prod, 'stats')).flatMap((s) => s.Action);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession']));
    const tenantRead = statementsOf({ role: prod.tenantAccessRoles.read }).flatMap((s) => s.Action);
    expect(tenantRead).toContain('dynamodb:Query');
    expect(tenantRead.filter((a) => writeActions.test(a))).toEqual([]);
  });

  it('lets the authorizer only GetItem (and UpdateItem, for the last-used day) on the registry table', () => {
    const dynamo = statementsOf(prod.authorizerFunction).filter((s) =>
      s.Action.some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo).toEqual([
      { Action: ['dynamodb:GetItem'], Resource: [tableArn()] },
      { Action: ['dynamodb:UpdateItem'], Resource: [tableArn()] },
    ]);
  });

  it('gives table access only as the definitions say', () => {
    for (const def of httpFunctions) {
      const name = def.name;
      const statements = statementsOf(http(prod, name));
      // Its own role: on the registry table, exactly the platform-level actions it declares.
      const onRegistry = statements
        .filter((s) => JSON.stringify(s.Resource) === JSON.stringify([tableArn()]))
        .flatMap((s) => s.Action);
      expect(onRegistry.sort(), name).toEqual([...(def.platformAccess?.actions ?? [])].sort());
      const actions = statements.flatMap((s) => s.Action);
      const assumes = actions.includes('sts:AssumeRole');
      expect(assumes, name).toBe(def.tableAccess !== 'none');
      const reachesTable = def.tableAccess !== 'none' || def.platformAccess !== undefined;
      expect(actions.includes('secretsmanager:GetSecretValue'), name).toBe(reachesTable);
    }
    const readWrite = statementsOf({ role: prod.tenantAccessRoles.readWrite }).flatMap((s) => s.Action);
    expect(readWrite).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem']));
    expect(readWrite).not.toContain('dynamodb:Scan');
    for (const def of schedules) {
      const actions = statementsOf(prod.scheduleFunctions.get(def.name)!).flatMap((s) => s.Action);
      expect(
        actions.some((a) => writeActions.test(a)),
        def.name,
      ).toBe(def.tableAccess === 'readWrite');
    }
    const stream = statementsOf(statisticsFunction(prod)).flatMap((s) => s.Action);
    expect(stream).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:UpdateItem']));
  });

  it('never grants a service-wide wildcard action', () => {
    for (const [id, policy] of Object.entries(resources(template, 'AWS::IAM::Policy'))) {
      const doc = policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] };
      for (const action of doc.Statement.flatMap((s) => ([] as string[]).concat(s.Action))) {
        expect(action, id).not.toMatch(/(^\*$|:\*$)/);
      }
    }
  });
});

describe('alarms', () => {
  it('watch API 5xx, stream iterator age, both dead-letter queues and counter drift', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 300,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(statisticsFunction(prod).fn) } }],
      Threshold: 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    for (const queue of [prod.statisticsDlq, prod.scheduleDlq]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metricNames.counterDrift,
      Namespace: metricsNamespace,
      Dimensions: [{ Name: 'service', Value: serviceName }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    for (const [id, alarm] of Object.entries(resources(template, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: logicalId(prod.alarmTopic) }]);
    }
  });
});
