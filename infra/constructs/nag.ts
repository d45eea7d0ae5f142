import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag 3 packs this project runs on every synth (app.ts) and in the infra tests. cdk-nag 3 is a
 * CDK policy-validation plugin: a finding makes synthesis fail and is written to the assembly's
 * `validation-report.json`; it is not an annotation.
 */
export function nagPacks(scope: IConstruct): NagPack[] {
  return [new AwsSolutionsChecks(scope), new ServerlessChecks(scope)];
}

export function addNagPacks(scope: IConstruct): void {
  Validations.of(scope).addPlugins(...nagPacks(scope));
}

/**
 * Acknowledge exact findings on a construct (and everything under it). One finding id per entry, each
 * with the reason it is acceptable — never a whole rule, never the whole stack.
 */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}
