import { SHAPE_SDFS, len, type LocalSdf } from './shapes-geometry';

/**
 * Rasterises one synthetic-shapes image (32×32×3 uint8) in plain TypeScript: a noisy
 * two-colour gradient background, clutter (lines and blobs of other colours) and one shape
 * of the given class with random colour, size, position and rotation on top. The shape's
 * edges are anti-aliased by 4×4 supersampling, done only where a pixel straddles an edge.
 * Everything random comes from `rng`, so a seeded rng reproduces the image exactly.
 */
export const SHAPES_SIZE = 32;
const CHANNELS = 3;
const SUPERSAMPLE = 4;
/** Half the pixel diagonal: a centre farther than this from every edge is uniformly in or out. */
const HALF_DIAGONAL = Math.SQRT1_2 + 1e-6;
/** Minimum RGB distance between the shape colour and the mean background colour. */
const MIN_CONTRAST = 110;

type Rgb = [number, number, number];

/** Where and how the class shape was drawn (pixel units; colour 0..255 before rounding). */
export interface ShapePlacement {
  cx: number;
  cy: number;
  radius: number;
  angle: number;
  colour: Rgb;
}
type WorldSdf = (x: number, y: number) => number;

function randomColour(rng: () => number): Rgb {
  return [rng() * 255, rng() * 255, rng() * 255];
}

function colourDistance(a: Rgb, b: Rgb): number {
  return Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2);
}

/**
 * Blends `colour` into the float canvas over `bounds` with the coverage of `sdf` (< 0
 * inside). Pixels within half a diagonal of an edge get their coverage from
 * SUPERSAMPLE² samples when `supersample` is set, else from the distance alone
 * (clamp(0.5 - d)), which is cheaper and good enough for the clutter.
 */
function paint(
  canvas: Float32Array,
  sdf: WorldSdf,
  bounds: readonly [number, number, number, number],
  colour: Rgb,
  supersample: boolean,
): void {
  const x0 = Math.max(0, Math.floor(bounds[0]));
  const y0 = Math.max(0, Math.floor(bounds[1]));
  const x1 = Math.min(SHAPES_SIZE - 1, Math.ceil(bounds[2]));
  const y1 = Math.min(SHAPES_SIZE - 1, Math.ceil(bounds[3]));
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const d = sdf(px + 0.5, py + 0.5);
      let coverage: number;
      if (d <= -HALF_DIAGONAL) coverage = 1;
      else if (d >= HALF_DIAGONAL) continue;
      else if (!supersample) coverage = Math.min(1, Math.max(0, 0.5 - d));
      else {
        let inside = 0;
        for (let sy = 0; sy < SUPERSAMPLE; sy++) {
          for (let sx = 0; sx < SUPERSAMPLE; sx++) {
            if (sdf(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE) < 0) inside++;
          }
        }
        coverage = inside / (SUPERSAMPLE * SUPERSAMPLE);
      }
      if (coverage <= 0) continue;
      const p = (py * SHAPES_SIZE + px) * CHANNELS;
      for (let ch = 0; ch < CHANNELS; ch++) canvas[p + ch] += (colour[ch] - canvas[p + ch]) * coverage;
    }
  }
}

function paintBackground(canvas: Float32Array, rng: () => number): Rgb {
  const a = randomColour(rng);
  const b = randomColour(rng);
  const angle = rng() * 2 * Math.PI;
  const dx = Math.cos(angle) / SHAPES_SIZE;
  const dy = Math.sin(angle) / SHAPES_SIZE;
  const noise = 10 + rng() * 20;
  // Per-pixel noise from a xorshift32 stream seeded by rng: thousands of draws per image
  // would otherwise dominate generation time.
  let state = (Math.floor(rng() * 0xffffffff) | 1) >>> 0;
  const scale = (2 * noise) / 0x100000000;
  for (let y = 0; y < SHAPES_SIZE; y++) {
    for (let x = 0; x < SHAPES_SIZE; x++) {
      // Gradient parameter in [0, 1] along the random direction through the centre.
      const t = Math.min(1, Math.max(0, 0.5 + (x - SHAPES_SIZE / 2) * dx + (y - SHAPES_SIZE / 2) * dy));
      const p = (y * SHAPES_SIZE + x) * CHANNELS;
      for (let ch = 0; ch < CHANNELS; ch++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        canvas[p + ch] = a[ch] + (b[ch] - a[ch]) * t + state * scale - noise;
      }
    }
  }
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
}

/** 3–6 distractors: thin line segments and small blobs, never the class shapes. */
function paintClutter(canvas: Float32Array, rng: () => number): void {
  const count = 3 + Math.floor(rng() * 4);
  for (let k = 0; k < count; k++) {
    const colour = randomColour(rng);
    const x = rng() * SHAPES_SIZE;
    const y = rng() * SHAPES_SIZE;
    if (rng() < 0.6) {
      const length = 6 + rng() * 20;
      const angle = rng() * Math.PI;
      const half = 0.4 + rng() * 0.6;
      const ex = Math.cos(angle) * length;
      const ey = Math.sin(angle) * length;
      const lengthSq = ex * ex + ey * ey;
      const segment: WorldSdf = (px, py) => {
        const t = Math.min(1, Math.max(0, ((px - x) * ex + (py - y) * ey) / lengthSq));
        return len(px - x - ex * t, py - y - ey * t) - half;
      };
      const pad = half + 1;
      paint(
        canvas,
        segment,
        [Math.min(x, x + ex) - pad, Math.min(y, y + ey) - pad, Math.max(x, x + ex) + pad, Math.max(y, y + ey) + pad],
        colour,
        false,
      );
    } else {
      const radius = 1 + rng() * 2;
      const blob: WorldSdf = (px, py) => len(px - x, py - y) - radius;
      paint(canvas, blob, [x - radius - 1, y - radius - 1, x + radius + 1, y + radius + 1], colour, false);
    }
  }
}

function paintShape(canvas: Float32Array, classIndex: number, background: Rgb, rng: () => number): ShapePlacement {
  const local: LocalSdf = SHAPE_SDFS[classIndex];
  const radius = 7 + rng() * 5;
  const margin = radius + 1;
  const cx = margin + rng() * (SHAPES_SIZE - 2 * margin);
  const cy = margin + rng() * (SHAPES_SIZE - 2 * margin);
  const angle = rng() * 2 * Math.PI;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  let colour = randomColour(rng);
  for (let tries = 0; tries < 20 && colourDistance(colour, background) < MIN_CONTRAST; tries++) colour = randomColour(rng);
  // World -> local: translate, rotate by -angle, scale by 1/radius; distances scale back by radius.
  const sdf: WorldSdf = (px, py) => {
    const x = px - cx;
    const y = py - cy;
    return local((x * cos + y * sin) / radius, (-x * sin + y * cos) / radius) * radius;
  };
  const reach = radius * 1.1 + 1;
  paint(canvas, sdf, [cx - reach, cy - reach, cx + reach, cy + reach], colour, true);
  return { cx, cy, radius, angle, colour };
}

/**
 * Renders an image of class `classIndex` into out[offset .. offset + 3072) as uint8 NHWC
 * and returns the shape's placement. `scratch` (3072 floats) may be passed to avoid an
 * allocation per image.
 */
export function renderShapesImage(
  classIndex: number,
  rng: () => number,
  out: Uint8Array,
  offset = 0,
  scratch: Float32Array = new Float32Array(SHAPES_SIZE * SHAPES_SIZE * CHANNELS),
): ShapePlacement {
  if (!(classIndex >= 0 && classIndex < SHAPE_SDFS.length)) throw new RangeError(`no shape class ${classIndex}`);
  const background = paintBackground(scratch, rng);
  paintClutter(scratch, rng);
  const placement = paintShape(scratch, classIndex, background, rng);
  for (let i = 0; i < scratch.length; i++) {
    const v = Math.round(scratch[i]);
    out[offset + i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return placement;
}
