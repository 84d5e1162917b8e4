/**
 * `npm run evaluate -- --model FILE.safetensors [--backend wasm|cpu]`
 *
 * Imports a model file exactly as the app's Import does (every check of docs/EXPORT_FORMAT.md)
 * and measures it on its dataset's whole test split with the app's evaluation: what the app
 * would show for a file written elsewhere (e.g. by bnn_playground.torch). Exit codes: 0 done,
 * 1 the file was refused or an unexpected error, 2 bad arguments.
 */
import { readFileSync } from 'node:fs';
import { evaluate } from '../bnn/train/evaluate';
import { FileFormatError } from '../data/file-format-error';
import { createInferenceModel, importModel } from '../io/import';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, bool, runIfEntry, parseFlags, processIO, str, type CliIO, type FlagSpec } from './args';
import { loadDatasetNode, startNodeBackend } from './run';

export const EVALUATE_USAGE = `Usage: npm run evaluate -- --model FILE.safetensors [--backend wasm|cpu]

Imports a model file as the app does and prints its accuracy on its dataset's test split.

Options:
  --model FILE               the model file (required)
  --backend NAME             wasm | cpu (default wasm)
  --help                     this text
`;

export const EVALUATE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  model: { type: 'string' },
  backend: { type: 'string', choices: ['wasm', 'cpu'] },
  help: { type: 'boolean' },
};

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let file: string;
  let backend: 'wasm' | 'cpu';
  try {
    const flags = parseFlags(argv, EVALUATE_FLAGS);
    if (bool(flags, 'help')) {
      io.stdout(EVALUATE_USAGE);
      return EXIT_OK;
    }
    const m = str(flags, 'model');
    if (m === undefined) throw new UsageError('--model FILE is required');
    file = m;
    backend = (str(flags, 'backend') ?? 'wasm') as 'wasm' | 'cpu';
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${EVALUATE_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    await startNodeBackend(backend);
    const imported = importModel(Uint8Array.from(readFileSync(file)));
    const data = loadDatasetNode(imported.config.dataset);
    const model = createInferenceModel(imported);
    try {
      const e = await evaluate(model, data);
      const stored = imported.testAccuracy === null ? 'none' : `${(100 * imported.testAccuracy).toFixed(2)}%`;
      io.stdout(
        `model      ${file}: format version ${imported.formatVersion}, ${imported.config.precision}, ResNet-${imported.config.depth} width ${imported.config.width}, ` +
          `${imported.hasLatent ? 'with' : 'without'} latent weights\n` +
          `accuracy   ${(100 * e.accuracy).toFixed(2)}% on ${e.count} ${data.name} test images (the file says ${stored})\n`,
      );
      return EXIT_OK;
    } finally {
      model.dispose();
    }
  } catch (e) {
    io.stderr(`error: ${e instanceof FileFormatError || e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

runIfEntry(import.meta.url, main);
