import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportGraph, importGraph, violations } from '../../architecture/import-graph.js';

const root = resolve(import.meta.dirname, '..', '..', '..', '..');
const sub = 'shared/modules/housing/letters/';
/** The letters sub-folder seen as a module of its own, so the layout's rules (written per module folder) apply to it. */
const asModule = (f: string) =>
  f.startsWith(sub) ? `shared/modules/housing-letters/${f.slice(sub.length)}` : f;

describe('the letters sub-folder keeps the import rules', () => {
  it('as if it were a module: rules pure, the data layer free of HTTP, the HTTP layer free of key builders', () => {
    const graph: ImportGraph = new Map(
      [...importGraph(root, ['shared', 'functions'])].map(([f, node]) => [
        asModule(f),
        { files: node.files.map(asModule), packages: node.packages },
      ]),
    );
    expect([...graph.keys()].filter((f) => f.includes('housing-letters/')).length).toBeGreaterThan(10);
    // its index.ts is a part of the housing manifest, imported by it (not a manifest of its own)
    expect(
      violations(graph).filter(
        (v) => v.includes('housing-letters/') && !v.startsWith('only the composition root'),
      ),
    ).toEqual([]);
  });
});
