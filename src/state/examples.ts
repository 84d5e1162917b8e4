import { ExampleIndexSchema, parseExampleFile, type ExampleRun } from './example-file';
import { runColor, runLabel, type RunRecord } from './run-record';

/**
 * The example gallery as read-only runs: fetched from public/examples/ when the app shows them
 * (never part of the page's bundle) and kept in memory only. Their colours come after the
 * first EXAMPLE_COLOR_OFFSET run colours, so they do not take the ones new runs get first.
 */
export const EXAMPLE_COLOR_OFFSET = 40;

/** The run id of an example (a student's teacherRunId names its teacher this way). */
export function exampleRunId(exampleId: string): string {
  return `example-${exampleId}`;
}

/** The read-only run of one example file. */
export function exampleRun(ex: ExampleRun, index: number): RunRecord {
  const f = ex.file;
  return {
    id: exampleRunId(f.id),
    name: runLabel(ex.config),
    color: runColor(EXAMPLE_COLOR_OFFSET + index),
    config: ex.config,
    state: 'finished',
    backend: f.backend,
    steps: ex.steps,
    evals: ex.evals,
    layerStats: ex.layerStats,
    masks: ex.masks ?? undefined,
    trainMs: f.trainMs,
    createdAt: Date.parse(f.generatedAt) || 0,
    compare: f.compare,
    group: f.row ? { id: exampleRunId(f.group), label: f.groupLabel, row: f.row, seed: ex.config.seed } : undefined,
    example: { id: f.id, group: f.group, groupLabel: f.groupLabel, command: f.command, commit: f.commit, modelFile: f.model.file },
  };
}

export interface Gallery {
  runs: RunRecord[];
  totalBytes: number;
  /** One message per example that could not be read (the others still show). */
  errors: string[];
}

type Fetch = (url: string) => Promise<Pick<Response, 'ok' | 'status' | 'json' | 'arrayBuffer'>>;

/** Reads the gallery: its index, then every example file. A missing index is an error; a broken example is skipped with a message. */
export async function fetchGallery(baseUrl: string, fetchImpl: Fetch = (u) => fetch(u)): Promise<Gallery> {
  const dir = `${baseUrl.replace(/\/?$/, '/')}examples/`;
  const res = await fetchImpl(`${dir}index.json`);
  if (!res.ok) throw new Error(`the example gallery could not be loaded (HTTP ${res.status})`);
  const index = ExampleIndexSchema.safeParse(await res.json());
  if (!index.success) throw new Error('the example gallery index is not of this version');
  const errors: string[] = [];
  const read = await Promise.all(
    index.data.examples.map(async (e, i) => {
      try {
        const r = await fetchImpl(`${dir}${e.file}`);
        if (!r.ok) throw new Error(`${e.file}: HTTP ${r.status}`);
        return exampleRun(parseExampleFile(await r.json(), e.file), i);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
        return null;
      }
    }),
  );
  return { runs: read.filter((r): r is RunRecord => r !== null), totalBytes: index.data.totalBytes, errors };
}

/** The bytes of an example's model file (a distillation teacher's weights come from it). */
export async function fetchExampleModel(baseUrl: string, run: RunRecord, fetchImpl: Fetch = (u) => fetch(u)): Promise<Uint8Array> {
  if (!run.example) throw new Error(`${run.name} is not an example`);
  const res = await fetchImpl(`${baseUrl.replace(/\/?$/, '/')}examples/${run.example.modelFile}`);
  if (!res.ok) throw new Error(`the model of ${run.name} could not be loaded (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}
