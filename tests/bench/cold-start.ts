/**
 * Cold start of a bundled handler, with and without the source-map setting the stack used to
 * have (issue 10, point 7). Each function is bundled here with the stack's own esbuild options
 * (infra/constructs/registry-function.ts: `bundlingOptions`, the AWS SDK bundled, the ESM require
 * banner), then imported in fresh Node processes, alternating the variants:
 *
 *   before   map with embedded sources (esbuild's default), run with --enable-source-maps
 *   after    map without sources (`sourcesContent: false`), run without the flag (the stack now)
 *
 * Printed per variant: the median time of `await import(bundle)` in a fresh process, and of the
 * first stack trace made inside the bundle after it (mapped through the map when the flag is on:
 * what the first logged error of an instance pays). Standalone:
 * `npx tsx tests/bench/cold-start.ts [rounds]`; `coldStartFigure()` is for `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundlingOptions } from '../../infra/constructs/registry-function.js';
import { projectRoot } from '../../infra/project-root.js';

export interface ColdStartVariant {
  name: 'before' | 'after';
  bundleBytes: number;
  mapBytes: number;
  importMs: number;
  firstStackMs: number;
}

export interface ColdStartFigure {
  entry: string;
  rounds: number;
  variants: ColdStartVariant[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** One fresh process: import the bundle, then make one stack trace; both timed inside it. */
function once(file: string, flags: string[]): { importMs: number; stackMs: number } {
  const probe = [
    'const t0 = performance.now();',
    `const mod = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const t1 = performance.now();',
    'void mod.probe();',
    'const t2 = performance.now();',
    'console.log(JSON.stringify({ importMs: t1 - t0, stackMs: t2 - t1 }));',
  ].join(' ');
  const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', probe], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AWS_REGION: 'cn-north-1',
      AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      NODE_OPTIONS: '',
    },
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { importMs: number; stackMs: number };
}

export async function coldStartFigure(
  entry = 'functions/http/people.ts',
  rounds = 15,
): Promise<ColdStartFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    const variants = [
      { name: 'before' as const, sourcesContent: true, flags: ['--enable-source-maps'] },
      { name: 'after' as const, sourcesContent: bundlingOptions.sourcesContent, flags: [] as string[] },
    ];
    const files: Record<string, string> = {};
    for (const v of variants) {
      const outfile = join(dir, v.name, 'index.mjs');
      // The handler's module, plus a probe whose stack frame is inside the bundle (mapped, with
      // the flag, through the bundle's map — the first time, that means loading it).
      const probeEntry = join(dir, `${v.name}-entry.ts`);
      writeFileSync(
        probeEntry,
        `export * from ${JSON.stringify(join(projectRoot, entry))};\n` +
          'export const probe = () => new Error("probe").stack;\n',
      );
      await build({
        entryPoints: [probeEntry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: bundlingOptions.target,
        minify: bundlingOptions.minify,
        sourcemap: bundlingOptions.sourceMap,
        sourcesContent: v.sourcesContent,
        mainFields: [...bundlingOptions.mainFields],
        banner: { js: bundlingOptions.banner },
        logLevel: 'silent',
      });
      files[v.name] = outfile;
    }
    const samples: Record<string, { importMs: number[]; stackMs: number[] }> = {
      before: { importMs: [], stackMs: [] },
      after: { importMs: [], stackMs: [] },
    };
    once(files.after!, []); // warm the file system cache
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        const { importMs, stackMs } = once(files[v.name]!, v.flags);
        samples[v.name]!.importMs.push(importMs);
        samples[v.name]!.stackMs.push(stackMs);
      }
    }
    return {
      entry,
      rounds,
      variants: variants.map((v) => ({
        name: v.name,
        bundleBytes: statSync(files[v.name]!).size,
        mapBytes: statSync(`${files[v.name]!}.map`).size,
        importMs: median(samples[v.name]!.importMs),
        firstStackMs: median(samples[v.name]!.stackMs),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printColdStart(figure: ColdStartFigure, log: (line: string) => void = console.log): void {
  log(`cold start of ${figure.entry}, median of ${figure.rounds} fresh processes each:`);
  for (const v of figure.variants) {
    log(
      `  ${v.name.padEnd(6)} import ${v.importMs.toFixed(1).padStart(7)} ms   first error.stack ${v.firstStackMs
        .toFixed(2)
        .padStart(
          7,
        )} ms   bundle ${(v.bundleBytes / 1024).toFixed(0)} KiB, map ${(v.mapBytes / 1024).toFixed(0)} KiB`,
    );
  }
  const [before, after] = figure.variants;
  if (before && after) log(`  after/before import time: ${(after.importMs / before.importMs).toFixed(2)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rounds = Number(process.argv[2] ?? 15);
  printColdStart(await coldStartFigure('functions/http/people.ts', rounds));
  printColdStart(await coldStartFigure('functions/schedules/reconcile-counters.ts', rounds));
}
