import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { addNagPacks } from '../../../infra/constructs/nag.js';
import { RegistryStack } from '../../../infra/registry-stack.js';
import { streamSubscriptions } from '../../../shared/app/index.js';

/**
 * A tiny stand-in for the console build (index.html, a hashed asset, a dot-folder), so the infra
 * tests never depend on a Vite build; the real app serves console/dist.
 */
export const consoleFixtureDir = join(import.meta.dirname, 'console-dist');
/** RegistryStack's console prop for tests; `consoleDistDir` context for buildRegistryApp. */
export const testConsole = { distDir: consoleFixtureDir };
export const testConsoleContext = { consoleDistDir: consoleFixtureDir };

export const statisticsSubscription = streamSubscriptions.find((s) => s.name === 'statistics')!;
/** The stack's function serving an HTTP group, and its statistics stream consumer. */
export const http = (stack: RegistryStack, name: string) => stack.httpFunctions.get(name)!;
export const statisticsFunction = (stack: RegistryStack) => stack.streamFunctions.get('statistics')!;

export type Json = Record<string, unknown>;
export interface CfnResourceJson {
  Type: string;
  Properties: Json;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export const writeActions =
  /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|PartiQL(Insert|Update|Delete)|\*)$/;

/** Logical id of the CloudFormation resource behind an L2 construct. */
export const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

export const resources = (t: Template, type: string): Record<string, CfnResourceJson> =>
  t.findResources(type) as Record<string, CfnResourceJson>;

export const resource = (t: Template, id: string): CfnResourceJson => {
  const found = t.toJSON().Resources[id] as CfnResourceJson | undefined;
  if (!found) throw new Error(`no resource ${id}`);
  return found;
};

/** Every IAM statement attached (inline or via a Policy resource) to a role. */
export function statementsOfRole(t: Template, roleId: string): { Action: string[]; Resource: unknown[] }[] {
  const out: { Action: string[]; Resource: unknown[] }[] = [];
  for (const policy of Object.values(resources(t, 'AWS::IAM::Policy'))) {
    const roles = policy.Properties.Roles as unknown[];
    if (!roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }))) continue;
    const doc = policy.Properties.PolicyDocument as { Statement: Json[] };
    for (const s of doc.Statement) {
      expect(s.Effect).toBe('Allow');
      out.push({
        Action: ([] as string[]).concat(s.Action as string | string[]),
        Resource: ([] as unknown[]).concat(s.Resource),
      });
    }
  }
  const role = resource(t, roleId);
  expect(role.Properties.Policies, `${roleId} has no inline policies`).toBeUndefined();
  return out;
}

export interface Synthesized {
  prod: RegistryStack;
  template: Template;
  dev: RegistryStack;
  devTemplate: Template;
}

/**
 * The production shape, synthesized with real esbuild bundling and the nag packs on (a nag
 * finding would make Template.fromStack throw), and a dev stage to compare the stage-dependent
 * settings (bundling skipped to keep it fast).
 */
let synthesized: Synthesized | undefined;

/**
 * The infra project runs its files in one worker without isolation (vitest.config.ts), so the
 * stacks are synthesized — with real esbuild bundling of every function — once per run, not once
 * per file. Tests read them and never change them (negative controls work on copies).
 */
export function synthesize(): Synthesized {
  synthesized ??= synthesizeNow();
  return synthesized;
}

function synthesizeNow(): Synthesized {
  const app = new App();
  const prod = new RegistryStack(app, 'Registry-prod', {
    stage: 'prod',
    requireSignupToken: true,
    console: testConsole,
  });
  addNagPacks(app);
  const template = Template.fromStack(prod);
  const devApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const dev = new RegistryStack(devApp, 'Registry-dev', { stage: 'dev', console: testConsole });
  return { prod, template, dev, devTemplate: Template.fromStack(dev) };
}
