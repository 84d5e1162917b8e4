/**
 * The Python package's tests (python/tests) inside `npm test`, on models the app trains here:
 * scripts/python-fixtures.ts writes real runs of every preset, their test split and the
 * malformed files of the TypeScript tests into a temporary folder; Debian's python3 runs the
 * numpy tests, then the PyTorch ones (which include a 2-process DDP continuation); last, the app
 * imports the continued model and must measure the accuracy PyTorch reported.
 *
 * The interpreter is /usr/bin/python3 (BNN_PYTHON overrides it). Without numpy or PyTorch the
 * tests that need them skip with a line saying what to install; with CI=true they fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryWeightsFromSnapshot } from '../src/bnn/model/binary-weights';
import { getWeightTransform } from '../src/bnn/quantizers/registry';
import { evaluate } from '../src/bnn/train/evaluate';
import { loadMnistSmallNode } from '../src/data/mnist-node';
import { createInferenceModel, importModel } from '../src/io/import';
import { buildPythonFixtures } from './python-fixtures';

const PYTHON = process.env.BNN_PYTHON ?? '/usr/bin/python3';
const CI = process.env.CI === 'true' || process.env.CI === '1';
const PACKAGE = fileURLToPath(new URL('../python', import.meta.url));
const INSTALL = 'apt-get install python3-numpy python3-torch';

function hasModule(module: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

const numpy = hasModule('numpy');
const torch = numpy && hasModule('torch');
if (!CI && !numpy) console.warn(`python tests skipped: ${PYTHON} cannot import numpy (${INSTALL})`);
else if (!CI && !torch) console.warn(`PyTorch tests skipped: ${PYTHON} cannot import torch (apt-get install python3-torch)`);

/** python3 -m unittest of some test modules, with the fixtures; prints the output. */
function unittest(modules: string[], fixtures: string): void {
  const r = spawnSync(PYTHON, ['-m', 'unittest', '-v', ...modules.map((m) => `tests.${m}`)], {
    cwd: PACKAGE,
    env: { ...process.env, BNN_FIXTURES: fixtures, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  const output = `${r.stdout}${r.stderr}`;
  process.stdout.write(output.split('\n').filter((l) => /^(numpy|torch) /.test(l) || / \.\.\. (FAIL|ERROR|skipped)/.test(l) || /^Ran |^OK|^FAILED/.test(l)).join('\n') + '\n');
  expect(r.status, output).toBe(0);
  expect(output).not.toMatch(/skipped/);
}

const modules = readdirSync(join(PACKAGE, 'tests'))
  .filter((f) => /^test_.*\.py$/.test(f))
  .map((f) => f.replace(/\.py$/, ''));

describe('the Python package on models the app trains', () => {
  let fixtures = '';
  beforeAll(async () => {
    if (!numpy) return;
    fixtures = mkdtempSync(join(tmpdir(), 'bnn-python-'));
    await buildPythonFixtures(fixtures);
  }, 15 * 60_000);
  afterAll(() => {
    if (fixtures) rmSync(fixtures, { recursive: true, force: true });
  });

  it('the interpreter has numpy and PyTorch (CI installs python3-numpy and python3-torch)', () => {
    if (!CI) return;
    expect(numpy, `${PYTHON} cannot import numpy: ${INSTALL}`).toBe(true);
    expect(torch, `${PYTHON} cannot import torch: ${INSTALL}`).toBe(true);
  });

  it.skipIf(!numpy)('numpy: the strict reader on the malformed files, logits and predictions of every preset, the predict command', () => {
    unittest(modules.filter((m) => !m.startsWith('test_torch')), fixtures);
  }, 15 * 60_000);

  it.skipIf(!torch)('PyTorch: quantizers, logits of every preset, training, a 2-process DDP continuation', () => {
    unittest(modules.filter((m) => m.startsWith('test_torch')), fixtures);
  }, 15 * 60_000);

  it.skipIf(!torch)('app → PyTorch → app: the continued model imports and evaluates to the accuracy PyTorch reported', async () => {
    const report = JSON.parse(readFileSync(join(fixtures, 'continued', 'report.json'), 'utf8')) as { accuracy: number; images: number };
    const imported = importModel(Uint8Array.from(readFileSync(join(fixtures, 'continued', 'model.safetensors'))));
    expect(imported.formatVersion).toBe(2);
    expect(imported.testAccuracy).toBe(report.accuracy);
    const model = createInferenceModel(imported);
    const e = await evaluate(model, loadMnistSmallNode());
    model.dispose();
    expect(e.count).toBe(report.images);
    expect(Math.abs(e.accuracy - report.accuracy)).toBeLessThanOrEqual(0.001);
    // and the app can train it further: its latent weights give the file's bits
    expect(imported.hasLatent).toBe(true);
    const fromLatent = await binaryWeightsFromSnapshot(imported.arch, imported.snapshot!, getWeightTransform(imported.config.weightTransform));
    expect(fromLatent.map((b) => b.signs)).toEqual(imported.binary.map((b) => b.signs));
  }, 5 * 60_000);
});
