/**
 * Seeded augmentation of normalised NHWC float batches for 32×32 colour data (not MNIST):
 * random crop from the image zero-padded by `pad` pixels, then an optional horizontal
 * flip. Padding is 0 in normalised space, i.e. the dataset's mean colour.
 */
export interface AugmentOptions {
  /** Crop padding in pixels; offsets are uniform in [-pad, pad]. Default 4. */
  pad?: number;
  /** Mirror left-right with probability 1/2. Default true. */
  flip?: boolean;
}

/** One image's augmentation: out[y][x] = in[y + dy][x' + dx], x' = flip ? w-1-x : x. */
export interface CropFlip {
  dy: number;
  dx: number;
  flip: boolean;
}

/**
 * Writes the shifted (and optionally mirrored) image at `src[srcOffset..]` into
 * `dst[dstOffset..]`: output pixel (y, x) reads input (y + dy, xs + dx) where xs is x, or
 * w-1-x when flipping; reads outside the image give 0.
 */
export function cropFlipImage(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  h: number,
  w: number,
  c: number,
  { dy, dx, flip }: CropFlip,
): void {
  const row = w * c;
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    const dstRow = dstOffset + y * row;
    if (sy < 0 || sy >= h) {
      dst.fill(0, dstRow, dstRow + row);
      continue;
    }
    const srcRow = srcOffset + sy * row;
    for (let x = 0; x < w; x++) {
      const sx = (flip ? w - 1 - x : x) + dx;
      const d = dstRow + x * c;
      if (sx < 0 || sx >= w) {
        for (let ch = 0; ch < c; ch++) dst[d + ch] = 0;
      } else {
        const s = srcRow + sx * c;
        for (let ch = 0; ch < c; ch++) dst[d + ch] = src[s + ch];
      }
    }
  }
}

/**
 * Augments `n` images of `input` into `out` (which must not alias `input`). Draws from
 * `rng` per image, in this order: dy, dx (each floor(rng()·(2·pad+1)) - pad), then the
 * flip (rng() < 0.5) when flipping is on — so a seeded rng gives a reproducible batch.
 */
export function augmentBatch(
  input: Float32Array,
  out: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  rng: () => number,
  options: AugmentOptions = {},
): void {
  const pad = options.pad ?? 4;
  const flipOn = options.flip ?? true;
  const size = h * w * c;
  if (input.length < n * size || out.length < n * size) {
    throw new RangeError(`augmentBatch: buffers hold ${input.length} / ${out.length} floats, need ${n * size}`);
  }
  if (input === out) throw new Error('augmentBatch: input and out must be different buffers');
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(rng() * (2 * pad + 1)) - pad;
    const dx = Math.floor(rng() * (2 * pad + 1)) - pad;
    const flip = flipOn && rng() < 0.5;
    cropFlipImage(input, i * size, out, i * size, h, w, c, { dy, dx, flip });
  }
}
