/**
 * The ten shape classes of the synthetic dataset as signed distance functions in local
 * coordinates: negative inside, positive outside, the shape fitting in the unit disc
 * (so drawing at radius r scales distances by r). Union/intersection by min/max only ever
 * underestimates |distance|, which is all the rasteriser's "pixel fully in/out" test needs.
 */
export type LocalSdf = (x: number, y: number) => number;

export const SHAPE_CLASS_NAMES = [
  'circle',
  'square',
  'triangle',
  'cross',
  'ring',
  'star',
  'diamond',
  'crescent',
  'arrow',
  'bar',
] as const;

export type ShapeClassName = (typeof SHAPE_CLASS_NAMES)[number];

/** Euclidean length of (x, y); Math.hypot is several times slower in the hot loops. */
export function len(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

/** Signed distance to a closed polygon given as [x0, y0, x1, y1, …]. */
export function polygonSdf(vertices: readonly number[]): LocalSdf {
  const v = Float64Array.from(vertices);
  const n = v.length / 2;
  return (x, y) => {
    let best = (x - v[0]) ** 2 + (y - v[1]) ** 2;
    let sign = 1;
    for (let i = 0, j = n - 1; i < n; j = i, i++) {
      const xi = v[2 * i];
      const yi = v[2 * i + 1];
      const ex = v[2 * j] - xi;
      const ey = v[2 * j + 1] - yi;
      const wx = x - xi;
      const wy = y - yi;
      const t = Math.min(1, Math.max(0, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
      const bx = wx - ex * t;
      const by = wy - ey * t;
      best = Math.min(best, bx * bx + by * by);
      // Crossing-number parity: flip the sign each time an edge straddles the point's row.
      const above = y >= yi;
      const below = y < v[2 * j + 1];
      const left = ex * wy > ey * wx;
      if ((above && below && left) || (!above && !below && !left)) sign = -sign;
    }
    return sign * Math.sqrt(best);
  };
}

/** Signed distance to an axis-aligned box of half-sizes (hx, hy). */
export function boxSdf(hx: number, hy: number): LocalSdf {
  return (x, y) => {
    const qx = Math.abs(x) - hx;
    const qy = Math.abs(y) - hy;
    return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
  };
}

export function discSdf(radius: number, cx = 0, cy = 0): LocalSdf {
  return (x, y) => len(x - cx, y - cy) - radius;
}

/** Regular polygon with `sides` vertices on a circle, first vertex pointing up (-y). */
function regularPolygon(sides: number, radius: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < sides; k++) {
    const a = -Math.PI / 2 + (2 * Math.PI * k) / sides;
    out.push(radius * Math.cos(a), radius * Math.sin(a));
  }
  return out;
}

function starPolygon(points: number, outer: number, inner: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 2 * points; k++) {
    const a = -Math.PI / 2 + (Math.PI * k) / points;
    const r = k % 2 === 0 ? outer : inner;
    out.push(r * Math.cos(a), r * Math.sin(a));
  }
  return out;
}

const circle = discSdf(0.9);
const square = boxSdf(0.7, 0.7);
const triangle = polygonSdf(regularPolygon(3, 1));
const crossArms = [boxSdf(0.95, 0.28), boxSdf(0.28, 0.95)];
const cross: LocalSdf = (x, y) => Math.min(crossArms[0](x, y), crossArms[1](x, y));
const ring: LocalSdf = (x, y) => Math.abs(len(x, y) - 0.72) - 0.22;
const star = polygonSdf(starPolygon(5, 1, 0.42));
/** A rhombus, longer than wide, so no rotation turns it into the square. */
const diamond = polygonSdf([0, -1, 0.55, 0, 0, 1, -0.55, 0]);
const crescentOuter = discSdf(0.95);
const crescentBite = discSdf(0.75, 0.45, -0.1);
const crescent: LocalSdf = (x, y) => Math.max(crescentOuter(x, y), -crescentBite(x, y));
const arrow = polygonSdf([-1, -0.2, 0.15, -0.2, 0.15, -0.6, 1, 0, 0.15, 0.6, 0.15, 0.2, -1, 0.2]);
const bar = boxSdf(0.98, 0.22);

/** Local SDF of each class, indexed like SHAPE_CLASS_NAMES. */
export const SHAPE_SDFS: readonly LocalSdf[] = [circle, square, triangle, cross, ring, star, diamond, crescent, arrow, bar];
