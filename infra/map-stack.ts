import { existsSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Readable stack traces without `--enable-source-maps` at run time: the functions log stack
 * frames of their bundle (`file:///var/task/index.mjs:1:23456`), and this maps them back to the
 * repository's sources with the same bundle's source map (which the deployment package carries
 * next to index.mjs, and `npm run synth` writes to cdk.out/asset.<hash>/).
 *
 *   npx tsx infra/map-stack.ts cdk.out/asset.<hash> < stack.txt
 *
 * Only the frames of index.mjs change; every other line is printed as it came.
 */
export function mapStack(stack: string, map: SourceMap): string {
  return stack
    .split('\n')
    .map((line) =>
      line.replace(/(?:file:\/\/)?[^\s()]*index\.mjs:(\d+):(\d+)/g, (frame, line: string, column: string) => {
        const origin = map.findOrigin(Number(line), Number(column)) as {
          fileName?: string;
          lineNumber?: number;
          columnNumber?: number;
          name?: string;
        };
        if (!origin.fileName) return frame;
        const named = origin.name ? ` [${origin.name}]` : '';
        return `${origin.fileName}:${origin.lineNumber}:${origin.columnNumber}${named}`;
      }),
    )
    .join('\n');
}

/** The source map of a bundle: an asset directory, its index.mjs, or the map itself. */
export function loadSourceMap(path: string): SourceMap {
  const file = statSync(path).isDirectory()
    ? join(path, 'index.mjs.map')
    : path.endsWith('.map')
      ? path
      : `${path}.map`;
  if (!existsSync(file)) throw new Error(`no source map at ${file}`);
  return new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
}

async function main(): Promise<void> {
  const [path] = process.argv.slice(2);
  if (!path) {
    console.error('usage: npx tsx infra/map-stack.ts <asset dir | index.mjs | index.mjs.map> < stack.txt');
    process.exit(2);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  process.stdout.write(`${mapStack(Buffer.concat(chunks).toString('utf8'), loadSourceMap(path))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
