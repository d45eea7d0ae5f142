import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A file's imports: repository-relative paths of its own files, package names of the rest. */
export type ImportGraph = Map<string, { files: string[]; packages: string[] }>;

const importPattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g;

function tsFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return tsFiles(root, path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The import graph of the code under `dirs` (relative imports resolved; `.js` → `.ts`). */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of dirs.flatMap((d) => tsFiles(root, d))) {
    const text = readFileSync(join(root, file), 'utf8');
    const files: string[] = [];
    const packages: string[] = [];
    for (const m of text.matchAll(importPattern)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) {
        files.push(relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, '.ts'))));
      } else {
        packages.push(spec);
      }
    }
    graph.set(file, { files, packages });
  }
  return graph;
}

export interface ImportRule {
  name: string;
  /** Files the rule applies to. */
  from: (file: string) => boolean;
  /** What they may not import: a file of ours, or a package. */
  forbidden: (target: string, kind: 'file' | 'package') => boolean;
  /** Follow imports of our own files transitively (a rule about what a file pulls in at all). */
  transitive?: boolean;
}

const awsPackage = /^(@aws-sdk\/|aws-lambda$|aws-cdk-lib|@aws-lambda-powertools\/|@middy\/)/;
const isManifest = (f: string) => /^shared\/modules\/[^/]+\/index\.ts$/.test(f);
/**
 * A module's folder, or a part of a module in a sub-folder of it with the same layout (housing's
 * `letters/`): `shared/modules/<module>/` or `shared/modules/<module>/<part>/`.
 */
const moduleDir = '^shared/modules/[^/]+/(?:(?!rules/|repository/|use-cases/)[^/]+/)?';
const inModule = (rest: string) => new RegExp(moduleDir + rest);
const isRules = (f: string) =>
  inModule('rules/').test(f) ||
  /^shared\/platform\/(dates|counting|errors|settings|ids)\.ts$/.test(f) ||
  /^shared\/platform\/access\//.test(f);
const isDataLayer = (f: string) =>
  /^shared\/platform\/table\//.test(f) ||
  inModule(String.raw`(repository|keys)\.ts$`).test(f) ||
  inModule('repository/').test(f);
const isHttpLayer = (f: string) =>
  /^shared\/platform\/http\//.test(f) || inModule(String.raw`(routes|handlers|errors|schemas)\.ts$`).test(f);
const isKeyBuilder = (f: string) => inModule(String.raw`keys\.ts$`).test(f);

/** THE import rules of the layout (README, "Layout"). */
export const importRules: readonly ImportRule[] = [
  {
    name: 'the platform never imports a module or the composition root',
    from: (f) => f.startsWith('shared/platform/'),
    forbidden: (t, kind) =>
      kind === 'file' && (t.startsWith('shared/modules/') || t.startsWith('shared/app/')),
  },
  {
    name: 'pure rules import nothing of AWS, not even indirectly',
    from: isRules,
    forbidden: (t, kind) => kind === 'package' && awsPackage.test(t),
    transitive: true,
  },
  {
    name: 'the data layer never imports the HTTP layer',
    from: isDataLayer,
    forbidden: (t, kind) => kind === 'file' && isHttpLayer(t),
  },
  {
    name: 'the HTTP layer never imports key builders',
    from: isHttpLayer,
    forbidden: (t, kind) => kind === 'file' && isKeyBuilder(t),
  },
  {
    name: 'only the composition root imports a module manifest',
    from: (f) => !f.startsWith('shared/app/'),
    forbidden: (t, kind) => kind === 'file' && isManifest(t),
  },
];

/** Every import that breaks a rule, as `rule: file → target`. */
export function violations(graph: ImportGraph, rules: readonly ImportRule[] = importRules): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const [file] of graph) {
      if (!rule.from(file)) continue;
      const seen = new Set<string>();
      const queue: { at: string; via: string[] }[] = [{ at: file, via: [] }];
      while (queue.length > 0) {
        const { at, via } = queue.shift() as { at: string; via: string[] };
        if (seen.has(at)) continue;
        seen.add(at);
        const node = graph.get(at);
        if (!node) continue;
        for (const p of node.packages)
          if (rule.forbidden(p, 'package')) found.push(`${rule.name}: ${[file, ...via, p].join(' → ')}`);
        for (const f of node.files) {
          if (rule.forbidden(f, 'file')) found.push(`${rule.name}: ${[file, ...via, f].join(' → ')}`);
          if (rule.transitive) queue.push({ at: f, via: [...via, f] });
        }
      }
    }
  }
  return [...new Set(found)];
}
