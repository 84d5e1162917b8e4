import type {
  BenchCase,
  CaseResult,
  ImplementationResult,
  PreparedRun,
  SpeedupResult,
  SuiteProgress,
  SuiteResult,
  SuiteSettings,
} from './types';
import { calibrateReps, median, sample, warmUp, yieldToEventLoop } from './timing';

/**
 * Warm-up is long on purpose: the unrolled kernels are large, and on a busy 2-core machine
 * V8's background compiler can take a few hundred ms to swap in their optimized code.
 */
export const FULL_SETTINGS: SuiteSettings = { warmupMs: 800, rounds: 9, samplesPerRound: 2, minSampleMs: 25 };
export const QUICK_SETTINGS: SuiteSettings = { warmupMs: 300, rounds: 3, samplesPerRound: 2, minSampleMs: 10 };

export interface RunSuiteOptions {
  readonly suite?: string;
  readonly quick?: boolean;
  readonly settings?: Partial<SuiteSettings>;
  /** Free-form facts about the device and libraries, copied into the result. */
  readonly environment?: Readonly<Record<string, string | number | boolean>>;
  readonly onProgress?: (progress: SuiteProgress) => void;
  /** Also called with each case's result as soon as it is complete. */
  readonly onCase?: (result: CaseResult) => void;
  readonly signal?: AbortSignal;
}

/** Progress steps of a case: a warm-up block plus `rounds` sample blocks per implementation. */
function stepsOf(c: BenchCase, settings: SuiteSettings): number {
  return c.implementations.length * (settings.rounds + 1);
}

/**
 * Runs every case: warms each implementation up, then takes `rounds` interleaved blocks
 * of samples (impl 1, impl 2, …, impl 1, impl 2, …) so that slow drifts of the device
 * (thermal, other load) hit all implementations alike, and computes speed-ups per round.
 * Between blocks it yields to the event loop, so a Worker can post its progress.
 */
export async function runSuite(cases: readonly BenchCase[], options: RunSuiteOptions = {}): Promise<SuiteResult> {
  const quick = options.quick ?? false;
  const settings: SuiteSettings = { ...(quick ? QUICK_SETTINGS : FULL_SETTINGS), ...options.settings };
  const total = cases.reduce((sum, c) => sum + stepsOf(c, settings), 0);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let done = 0;
  const report = (label: string) => options.onProgress?.({ done, total, label });
  const results: CaseResult[] = [];
  for (const c of cases) {
    const result = await runCase(c, settings, (label) => {
      done++;
      report(label);
    }, options.signal);
    results.push(result);
    options.onCase?.(result);
  }
  return {
    suite: options.suite ?? 'kernels',
    quick,
    startedAt,
    durationMs: performance.now() - t0,
    environment: options.environment ?? {},
    settings,
    cases: results,
  };
}

async function runCase(
  c: BenchCase,
  settings: SuiteSettings,
  step: (label: string) => void,
  signal: AbortSignal | undefined,
): Promise<CaseResult> {
  const prepared: PreparedRun[] = [];
  try {
    for (const impl of c.implementations) prepared.push(await impl.setup());
    const reps: number[] = [];
    for (let i = 0; i < prepared.length; i++) {
      signal?.throwIfAborted();
      await prepared[i].activate?.();
      warmUp(prepared[i].run, settings.warmupMs);
      reps.push(calibrateReps(prepared[i].run, settings.minSampleMs));
      step(`${c.title} · ${c.implementations[i].label} (warm-up)`);
      await yieldToEventLoop();
    }
    const samples: number[][] = prepared.map(() => []);
    const roundMedians: number[][] = prepared.map(() => []);
    for (let r = 0; r < settings.rounds; r++) {
      for (let i = 0; i < prepared.length; i++) {
        signal?.throwIfAborted();
        const p = prepared[i];
        if (p.activate) {
          await p.activate();
          p.run(); // untimed: lets tfjs move data after a backend switch
        }
        const block: number[] = [];
        for (let s = 0; s < settings.samplesPerRound; s++) block.push(sample(p.run, reps[i]));
        samples[i].push(...block);
        roundMedians[i].push(median(block));
        step(`${c.title} · ${c.implementations[i].label}`);
        await yieldToEventLoop();
      }
    }
    const implementations: ImplementationResult[] = c.implementations.map((impl, i) => {
      const medianMs = median(samples[i]);
      return {
        id: impl.id,
        label: impl.label,
        role: impl.role,
        medianMs,
        minMs: Math.min(...samples[i]),
        samples: samples[i].length,
        repsPerSample: reps[i],
        gops: c.ops / medianMs / 1e6,
      };
    });
    const ref = c.implementations.findIndex((impl) => impl.id === c.reference);
    const speedups: SpeedupResult[] = [];
    if (ref >= 0) {
      c.implementations.forEach((impl, i) => {
        if (i === ref || impl.role !== 'peer') return;
        const perRound = roundMedians[i].map((t, r) => t / roundMedians[ref][r]);
        speedups.push({ versus: impl.id, value: median(perRound), perRound });
      });
    }
    return { id: c.id, title: c.title, kind: c.kind, ops: c.ops, params: c.params, reference: c.reference, implementations, speedups };
  } finally {
    for (const p of prepared) p.dispose?.();
  }
}
