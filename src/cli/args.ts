import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Small command-line helpers shared by the train and ablation entry points: a strict flag
 * parser (every flag must be known, every value well-formed), a usage error that maps to exit
 * code 2, an output sink that tests can capture, and a TTY-aware progress line.
 */

/** Wrong arguments: the entry point prints the message and the usage text, then exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type FlagType = 'string' | 'int' | 'number' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** Inclusive bounds of a numeric flag. */
  min?: number;
  max?: number;
}

export type FlagValue = string | number | boolean;
export type ParsedFlags = Record<string, FlagValue>;

/**
 * Parses `--name value`, `--name=value` and bare boolean `--name`. Unknown flags, missing or
 * malformed values, values outside `choices`/`min`/`max`, repeated flags and positional
 * arguments all throw UsageError. Keys keep their flag spelling (e.g. 'eval-every').
 */
export function parseFlags(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const s = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new UsageError(`--${name} given more than once`);
    let raw: string;
    if (s.type === 'boolean') {
      if (eq >= 0) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false') throw new UsageError(`--${name} takes no value (or =true/=false), got '${v}'`);
        out[name] = v === 'true';
      } else {
        out[name] = true;
      }
      continue;
    }
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
      raw = next;
      i++;
    }
    out[name] = convert(name, raw, s);
  }
  return out;
}

function convert(name: string, raw: string, s: FlagSpec): FlagValue {
  if (s.type === 'string') {
    if (raw === '') throw new UsageError(`--${name} needs a non-empty value`);
    if (s.choices && !s.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${s.choices.join(', ')}; got '${raw}'`);
    return raw;
  }
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
  if (s.type === 'int' && !Number.isInteger(v)) throw new UsageError(`--${name} must be an integer, got '${raw}'`);
  if (s.min !== undefined && v < s.min) throw new UsageError(`--${name} must be at least ${s.min}, got ${raw}`);
  if (s.max !== undefined && v > s.max) throw new UsageError(`--${name} must be at most ${s.max}, got ${raw}`);
  if (s.choices && !s.choices.includes(String(v))) throw new UsageError(`--${name} must be one of ${s.choices.join(', ')}; got ${raw}`);
  return v;
}

export function str(flags: ParsedFlags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function num(flags: ParsedFlags, name: string): number | undefined {
  const v = flags[name];
  return typeof v === 'number' ? v : undefined;
}

export function bool(flags: ParsedFlags, name: string): boolean {
  return flags[name] === true;
}

/** Where a command writes: process streams in the entry point, buffers in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Redraw the progress line in place (stderr is a terminal); otherwise print occasional lines. */
  isTTY: boolean;
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
};

/** Output that goes nowhere (inner runs of a grid keep their summaries quiet). */
export const silentIO: CliIO = { stdout: () => {}, stderr: () => {}, isTTY: false };

/**
 * A progress bar on stderr. On a terminal it redraws one line (`\r`); elsewhere (a log file, a
 * pipe) it prints a plain line at every tenth of the work and whenever `note` is called, so
 * logs stay short.
 */
export class ProgressLine {
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly io: CliIO,
    private readonly total: number,
    private readonly label: string,
    private readonly width = 28,
  ) {}

  update(done: number, detail: string): void {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(frac * this.width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}]`;
    const line = `${this.label} ${bar} ${done}/${this.total} ${detail}`;
    if (this.io.isTTY) {
      this.io.stderr(`\r${line.slice(0, 118).padEnd(118)}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.io.stderr(`${line}\n`);
    }
  }

  /** A line that stays (an evaluation result), printed above the bar. */
  note(text: string): void {
    if (this.io.isTTY && this.drawn) this.io.stderr(`\r${' '.repeat(118)}\r`);
    this.io.stderr(`${this.label} ${text}\n`);
    this.drawn = false;
  }

  done(): void {
    if (this.io.isTTY && this.drawn) this.io.stderr(`\r${' '.repeat(118)}\r`);
    this.drawn = false;
  }
}

/** 12.3 s, 4 min 05 s, 1 h 02 min. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m - 60 * h).padStart(2, '0')} min`;
}

/** True when the module at `metaUrl` is the process's entry script (not imported by a test or another CLI). */
export function isEntry(metaUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return metaUrl === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/**
 * Runs `main` with the command line when the module at `metaUrl` is the script Node started
 * (not when a test imports it): its return value becomes the exit code, and an exception escaping
 * it (a bug: expected failures return a code) prints its stack and exits with EXIT_FAILURE.
 */
export function runIfEntry(metaUrl: string, main: (argv: readonly string[]) => number | Promise<number>): void {
  if (!isEntry(metaUrl)) return;
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = EXIT_FAILURE;
      },
    );
}
