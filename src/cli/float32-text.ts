/**
 * The shortest decimal that reads back as the same float32 (at most 9 significant digits), so
 * JSON files carry float32 values exactly in a third of the characters of their float64 spelling.
 */
export function float32Text(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new RangeError(`float32Text: ${v} is not finite`);
  if (Object.is(f, -0)) return '-0';
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(f.toPrecision(digits)));
    if (Math.fround(Number(text)) === f) return text;
  }
  return String(Number(f.toPrecision(9)));
}
