import { describe, expect, it } from 'vitest';
import { ProgressLine, UsageError, formatDuration, parseFlags, type CliIO, type FlagSpec } from './args';

const spec: Record<string, FlagSpec> = {
  out: { type: 'string' },
  depth: { type: 'int', choices: ['8', '14', '20'] },
  steps: { type: 'int', min: 1 },
  lr: { type: 'number', min: 0 },
  grid: { type: 'string', choices: ['irnet', 'all'] },
  resume: { type: 'boolean' },
};

describe('parseFlags', () => {
  it('reads --name value, --name=value and bare booleans', () => {
    expect(parseFlags(['--out', 'd', '--depth=14', '--steps', '5', '--lr', '1e-3', '--resume'], spec)).toEqual({
      out: 'd',
      depth: 14,
      steps: 5,
      lr: 0.001,
      resume: true,
    });
    expect(parseFlags(['--resume=false'], spec)).toEqual({ resume: false });
    expect(parseFlags([], spec)).toEqual({});
  });

  it.each([
    [['--nope', '1'], /unknown option --nope/],
    [['--out'], /--out needs a value/],
    [['--out', '--steps', '3'], /--out needs a value/],
    [['--depth', '9'], /--depth must be one of 8, 14, 20; got 9/],
    [['--steps', '0'], /at least 1/],
    [['--steps', '2.5'], /integer/],
    [['--steps', 'many'], /must be a number/],
    [['--lr', ''], /must be a number/],
    [['--grid', 'xnor'], /--grid must be one of irnet, all/],
    [['positional'], /unexpected argument 'positional'/],
    [['--steps', '1', '--steps', '2'], /more than once/],
    [['--resume=yes'], /takes no value/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseFlags(argv, spec)).toThrow(UsageError);
    expect(() => parseFlags(argv, spec)).toThrow(message);
  });
});

function capture(isTTY: boolean): CliIO & { err: string } {
  const io = { err: '', isTTY, stdout: () => {}, stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('ProgressLine', () => {
  it('redraws one line on a terminal', () => {
    const io = capture(true);
    const p = new ProgressLine(io, 4, 'x', 4);
    p.update(1, 'a');
    p.update(2, 'b');
    p.note('eval');
    p.done();
    expect(io.err).toContain('\rx [#---] 1/4 a');
    expect(io.err).toContain('\rx [##--] 2/4 b');
    expect(io.err).toContain('x eval\n');
    expect(io.err.split('\n')).toHaveLength(2);
  });

  it('prints a plain line at the start and at each tenth elsewhere', () => {
    const io = capture(false);
    const p = new ProgressLine(io, 100, 'x', 10);
    for (let i = 1; i <= 100; i++) p.update(i, '');
    expect(io.err).not.toContain('\r');
    expect(io.err.trim().split('\n')).toHaveLength(11);
    expect(io.err).toContain('x [##########] 100/100');
  });
});

describe('formatDuration', () => {
  it('picks seconds, minutes or hours', () => {
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });
});
