import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addNagPacks, nagPacks } from '../../infra/constructs/nag.js';
import { RegistryStack } from '../../infra/registry-stack.js';
import { testConsole } from './support/stack.js';

/**
 * cdk-nag 3 is a CDK policy-validation plugin: findings are not annotations, they make `synth()` throw
 * (in-memory apps such as tests) or fail `cdk synth`, and are written to the assembly's
 * `validation-report.json`. This file checks all three ways, and proves the check can fail: the
 * same stack built with every acknowledgement dropped must be reported, and every acknowledgement must
 * match a finding that really occurs there (no stale or blanket acknowledgements).
 */

interface Finding {
  ruleName: string;
  severity: string;
  paths: string[];
}

const stackId = 'Registry-prod';
const build = (app: App) =>
  new RegistryStack(app, stackId, { stage: 'prod', requireSignupToken: true, console: testConsole });

function findingsOf(scope: IConstruct): Finding[] {
  return nagPacks(scope).flatMap((pack) =>
    pack.validateScope(scope).violations.map((v) => ({
      ruleName: v.ruleName,
      severity: v.severity ?? 'unknown',
      paths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?'),
    })),
  );
}

interface ValidationReport {
  pluginReports: { pluginName: string; conclusion?: string; violations?: { ruleName: string }[] }[];
}
/** CDK writes the plugins' findings here (cx-api VALIDATION_REPORT_FILE). */
const readReport = (dir: string): ValidationReport =>
  JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as ValidationReport;

const describeFindings = (findings: Finding[]) =>
  findings.map((f) => `${f.severity} ${f.ruleName} at ${f.paths.join(', ')}`).join('\n');

/** Every `Validations.of(x).acknowledge({ id })` under `scope`, as (construct path, finding id, reason). */
function acknowledgementsOf(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualified, reason]) => ({
          path: construct.node.path,
          id: qualified.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

let app: App;
let stack: RegistryStack;
let assembly: CloudAssembly | undefined;
let synthError: unknown;

let rawApp: App;
let rawFindings: Finding[];
let rawSynthError: unknown;

/** Nag judges resources, not code: skip esbuild here (registry-stack.test.ts synthesizes with bundling). */
const noBundling = { 'aws:cdk:bundling-stacks': [] };

beforeAll(() => {
  app = new App({ context: noBundling });
  stack = build(app);
  addNagPacks(app);
  try {
    assembly = app.synth();
  } catch (error) {
    synthError = error;
  }

  // The same stack with every acknowledgement dropped.
  const ignore = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
  try {
    rawApp = new App({ context: noBundling });
    build(rawApp);
    addNagPacks(rawApp);
  } finally {
    ignore.mockRestore();
  }
  rawFindings = findingsOf(rawApp);
  try {
    rawApp.synth();
  } catch (error) {
    rawSynthError = error;
  }
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe('cdk-nag AwsSolutions and Serverless packs', () => {
  it('synthesizes with the packs registered as validation plugins', () => {
    expect(synthError, String(synthError)).toBeUndefined();
    expect(assembly).toBeDefined();
  });

  it('finds no unacknowledged error or warning', () => {
    const findings = findingsOf(app);
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('leaves no violation in the validation report of the assembly', () => {
    const report = readReport(assembly!.directory);
    for (const plugin of report.pluginReports) {
      expect(plugin.violations ?? [], plugin.pluginName).toEqual([]);
      expect(plugin.conclusion, plugin.pluginName).not.toBe('failure');
    }
  });

  it('leaves no error or warning annotation from CDK itself', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('does report the findings when the acknowledgements are removed, and synth then fails', () => {
    const rules = new Set(rawFindings.map((f) => f.ruleName));
    expect(rules).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(rules).toContain('AwsSolutions-APIG4');
    expect(rules).toContain('Serverless-LambdaDLQ');
    expect(String(rawSynthError)).toMatch(/ValidationFailed|Validation failed/);
    expect(String(rawSynthError)).toContain('AwsSolutions-APIG4');
    const failed = readReport(rawApp.outdir).pluginReports.filter((p) => p.conclusion === 'failure');
    expect(failed.map((p) => p.pluginName).sort()).toEqual(['AwsSolutions', 'Serverless']);
    expect(failed.flatMap((p) => p.violations ?? []).map((v) => v.ruleName)).toContain(
      'Serverless-LambdaDLQ',
    );
  });

  it('acknowledges only exact findings that really occur on the acknowledged construct', () => {
    const acknowledgements = acknowledgementsOf(stack);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      // cdk-nag ids are `Pack-Rule` or `Pack-Rule[finding]`: never a bare pack or a wildcard.
      expect(ack.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, ack.id).toBeGreaterThan(40);
      const finding = rawFindings.find((f) => f.ruleName === ack.id);
      expect(finding, `${ack.id} acknowledged on ${ack.path} but never raised`).toBeDefined();
      expect(
        finding!.paths.some((p) => p === ack.path || p.startsWith(`${ack.path}/`)),
        `${ack.id} acknowledged on ${ack.path}, raised only on ${finding!.paths.join(', ')}`,
      ).toBe(true);
    }
  });
});
