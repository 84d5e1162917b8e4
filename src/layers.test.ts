import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule of docs/ARCHITECTURE.md: every relative import of every file under src/,
 * checked against the layer matrix parsed from that document (so the rule is written once).
 */
const SRC = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(SRC);

function matrix(): Map<string, Set<string>> {
  const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- layer-matrix:start -->'), doc.indexOf('<!-- layer-matrix:end -->'));
  const allowed = new Map<string, Set<string>>();
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const layer = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (!layer) continue;
    allowed.set(layer, new Set([...(cells[3] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1])));
  }
  return allowed;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"?]*)/g;

/** The layer of a path under src/ (its first folder), '(root)' for src/*.ts, or the top folder outside src/. */
function layerOf(path: string): string {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return relative(ROOT, path).split(sep)[0];
  const parts = rel.split(sep);
  return parts.length === 1 ? '(root)' : parts[0];
}

describe('layers (docs/ARCHITECTURE.md)', () => {
  const allowed = matrix();
  const all = files(SRC);

  it('the matrix names every layer folder under src/', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory() && n !== 'test' && n !== 'types');
    expect([...allowed.keys()].sort()).toEqual(folders.sort());
  });

  it('every import points down the matrix; tests may also use the shared test helpers', () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = layerOf(file);
      const isTest = file.endsWith('.test.ts');
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = normalize(join(dirname(file), m[1]));
        const to = layerOf(target);
        if (to === from || to === 'types') continue;
        if (to === 'scripts') {
          violations.push(`${relative(ROOT, file)} imports scripts/ (${m[1]})`);
          continue;
        }
        if (from === '(root)') {
          if (to !== 'ui' && !isTest) violations.push(`${relative(ROOT, file)} imports ${to} (the entry mounts ui only)`);
          continue;
        }
        if (to === 'test' && isTest) continue;
        if (!allowed.get(from)?.has(to)) violations.push(`${relative(ROOT, file)} (${from}) imports ${to}: ${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('bnn and kernels use neither React nor the DOM', () => {
    const offenders = all
      .filter((f) => ['bnn', 'kernels'].includes(layerOf(f)))
      .filter((f) => /from ['"]react(-dom)?['"]|\bdocument\.|\bwindow\./.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
