import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../vitest.config.js';

/**
 * `npm test` runs the vitest projects as several processes side by side (the `suite:*` scripts,
 * see vitest.config.ts): a project that no suite names would silently never run, and one named
 * twice would run twice.
 */
const root = resolve(import.meta.dirname, '../../..');
const scripts = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;

const projectNames = (config.test?.projects ?? []).map((p) => {
  const name = (p as { test?: { name?: unknown } }).test?.name;
  if (typeof name !== 'string') throw new Error('every vitest project has a literal name');
  return name;
});

/** What is wrong with the suites' coverage of the projects (nothing: an empty list). */
function suiteProblems(all: Record<string, string>, projects: readonly string[]): string[] {
  const suites = Object.entries(all).filter(([name]) => name.startsWith('suite:'));
  const named = suites.flatMap(([, command]) =>
    [...command.matchAll(/--project[ =](\S+)/g)].map((m) => m[1] as string),
  );
  const problems: string[] = [];
  for (const project of projects) {
    const times = named.filter((n) => n === project).length;
    if (times !== 1) problems.push(`project ${project} is run by ${times} suites`);
  }
  for (const n of named) if (!projects.includes(n)) problems.push(`suite names unknown project ${n}`);
  for (const [name, command] of suites)
    if (!/^(nice -n \d+ )?vitest run( --project \S+)+$/.test(command))
      problems.push(`${name} is not "[nice -n N] vitest run --project …"`);
  if (!/concurrently .*npm:suite:\*/.test(all.test ?? '')) problems.push('npm test does not run npm:suite:*');
  return problems;
}

describe('npm test', () => {
  it('runs every vitest project exactly once', () => {
    expect(projectNames.length).toBeGreaterThanOrEqual(5);
    expect(suiteProblems(scripts, projectNames)).toEqual([]);
  });

  it('negative controls: a project left out, one run twice, an unknown one, a suite not run', () => {
    const without = { ...scripts, 'suite:browser': 'vitest run --project e2e' };
    expect(suiteProblems(without, projectNames)).toEqual([
      'project e2e is run by 2 suites',
      'project browser is run by 0 suites',
    ]);
    expect(suiteProblems({ ...scripts, 'suite:extra': 'vitest run --project nope' }, projectNames)).toEqual([
      'suite names unknown project nope',
    ]);
    expect(suiteProblems({ ...scripts, test: 'vitest run' }, projectNames)).toEqual([
      'npm test does not run npm:suite:*',
    ]);
  });
});
