import { describe, expect, it } from 'vitest';
import { SHAPE_SDFS, boxSdf, polygonSdf } from './shapes-geometry';
import { SHAPES_STATS_SAMPLE, SHAPE_CLASS_NAMES, createShapesDataset, renderShapesSample } from './shapes';

const classIndex = (name: string) => (SHAPE_CLASS_NAMES as readonly string[]).indexOf(name);

/** Area of the lens where discs of radius r1, r2 with centres d apart overlap. */
function lensArea(r1: number, r2: number, d: number): number {
  const a = r1 * r1 * Math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1));
  const b = r2 * r2 * Math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2));
  return a + b - 0.5 * Math.sqrt((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2));
}

/** Hand-computed areas of each class in local units (shape inside the unit disc). */
const LOCAL_AREA: Record<string, number> = {
  circle: Math.PI * 0.9 ** 2,
  square: 1.4 * 1.4,
  triangle: (3 * Math.sqrt(3)) / 4, // equilateral, circumradius 1
  cross: 2 * (1.9 * 0.56) - 0.56 * 0.56,
  ring: Math.PI * (0.94 ** 2 - 0.5 ** 2),
  star: 5 * 1 * 0.42 * Math.sin(Math.PI / 5), // 5 kites of outer 1, inner 0.42
  diamond: 2 * 1 * 0.55,
  crescent: Math.PI * 0.95 ** 2 - lensArea(0.95, 0.75, Math.hypot(0.45, 0.1)),
  arrow: 1.15 * 0.4 + 0.5 * 1.2 * 0.85,
  bar: 1.96 * 0.44,
};

describe('shape geometry', () => {
  it('signed distances match hand values', () => {
    const unitSquare = polygonSdf([-1, -1, 1, -1, 1, 1, -1, 1]);
    expect(unitSquare(0, 0)).toBeCloseTo(-1, 12);
    expect(unitSquare(3, 0)).toBeCloseTo(2, 12);
    expect(unitSquare(4, 5)).toBeCloseTo(5, 12); // corner (1, 1) to (4, 5)
    expect(unitSquare(0.5, 0.9)).toBeCloseTo(-0.1, 12);
    expect(boxSdf(2, 1)(0, 3)).toBeCloseTo(2, 12);
    expect(boxSdf(2, 1)(1.5, 0)).toBeCloseTo(-0.5, 12);
    expect(SHAPE_SDFS[classIndex('circle')](0, 0)).toBeCloseTo(-0.9, 12);
    expect(SHAPE_SDFS[classIndex('ring')](0, 0)).toBeGreaterThan(0); // the hole
    expect(SHAPE_SDFS[classIndex('ring')](0.72, 0)).toBeCloseTo(-0.22, 12);
  });

  it('every class fits the unit disc and encloses the hand-computed area', () => {
    const n = 200;
    SHAPE_SDFS.forEach((sdf, k) => {
      let inside = 0;
      let farthest = 0;
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const u = ((x + 0.5) / n) * 2.4 - 1.2;
          const v = ((y + 0.5) / n) * 2.4 - 1.2;
          if (sdf(u, v) < 0) {
            inside++;
            farthest = Math.max(farthest, Math.hypot(u, v));
          }
        }
      }
      expect(farthest, SHAPE_CLASS_NAMES[k]).toBeLessThan(1.1);
      const area = (inside / (n * n)) * 2.4 * 2.4;
      expect(area, SHAPE_CLASS_NAMES[k]).toBeCloseTo(LOCAL_AREA[SHAPE_CLASS_NAMES[k]], 1);
    });
  });

  it('no two classes overlap by more than 0.9 IoU under any rotation or scale', () => {
    const g = 32;
    const mask = (k: number, angle: number, scale: number) => {
      const m = new Uint8Array(g * g);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      for (let y = 0; y < g; y++) {
        for (let x = 0; x < g; x++) {
          const u = ((x + 0.5) / g) * 2.4 - 1.2;
          const v = ((y + 0.5) / g) * 2.4 - 1.2;
          m[y * g + x] = SHAPE_SDFS[k]((u * c + v * s) / scale, (-u * s + v * c) / scale) < 0 ? 1 : 0;
        }
      }
      return m;
    };
    const variants = SHAPE_SDFS.map((_, k) => {
      const all: Uint8Array[] = [];
      for (let r = 0; r < 24; r++) for (const scale of [0.8, 0.9, 1, 1.1]) all.push(mask(k, (r * Math.PI) / 12, scale));
      return all;
    });
    for (let a = 0; a < SHAPE_SDFS.length; a++) {
      const reference = mask(a, 0, 1);
      for (let b = 0; b < SHAPE_SDFS.length; b++) {
        if (a === b) continue;
        let best = 0;
        for (const m of variants[b]) {
          let inter = 0;
          let union = 0;
          for (let p = 0; p < m.length; p++) {
            inter += reference[p] & m[p];
            union += reference[p] | m[p];
          }
          best = Math.max(best, inter / union);
        }
        expect(best, `${SHAPE_CLASS_NAMES[a]} vs ${SHAPE_CLASS_NAMES[b]}`).toBeLessThan(0.9);
      }
    }
  });
});

describe('createShapesDataset', () => {
  const small = { seed: 11, trainSize: 60, testSize: 30 };

  it('is deterministic for a seed, and a test image does not depend on trainSize', () => {
    const a = createShapesDataset(small);
    const b = createShapesDataset(small);
    const c = createShapesDataset({ ...small, trainSize: 20 });
    for (let i = 0; i < a.size; i += 7) expect(a.rawImage(i)).toEqual(b.rawImage(i));
    expect(a.mean).toEqual(b.mean);
    expect(a.rawImage(60 + 5)).toEqual(c.rawImage(20 + 5));
    expect(a.rawImage(60 + 5)).toEqual(renderShapesSample(11, 'test', 5).image);
    expect(a.rawImage(3)).toEqual(renderShapesSample(11, 'train', 3).image);
  });

  it('differs across seeds and between images', () => {
    const a = createShapesDataset(small);
    const b = createShapesDataset({ ...small, seed: 12 });
    for (const i of [0, 15, 70]) expect(a.rawImage(i)).not.toEqual(b.rawImage(i));
    expect(a.rawImage(0)).not.toEqual(a.rawImage(10)); // same class, different image
  });

  it('has the documented shape, split and balanced labels', () => {
    const ds = createShapesDataset({ seed: 2, trainSize: 100, testSize: 50 });
    expect([ds.name, ds.height, ds.width, ds.channels, ds.numClasses, ds.size]).toEqual(['shapes', 32, 32, 3, 10, 150]);
    expect(Array.from(ds.trainIndices)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(ds.testIndices)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    const train = new Array(10).fill(0);
    const test = new Array(10).fill(0);
    for (const i of ds.trainIndices) train[ds.label(i)]++;
    for (const i of ds.testIndices) test[ds.label(i)]++;
    expect(train).toEqual(new Array(10).fill(10));
    expect(test).toEqual(new Array(10).fill(5));
    expect(ds.classNames).toEqual(SHAPE_CLASS_NAMES);
  });

  it('uses the full pixel range, normalises to finite values with train-sample statistics', () => {
    const ds = createShapesDataset({ seed: 4, trainSize: 40, testSize: 10 });
    let min = 255;
    let max = 0;
    const sum = [0, 0, 0];
    const sumSq = [0, 0, 0];
    for (let i = 0; i < ds.size; i++) {
      const img = ds.rawImage(i);
      const distinct = new Set(img);
      expect(distinct.size).toBeGreaterThan(50); // noisy, cluttered, never flat
      for (let p = 0; p < img.length; p++) {
        min = Math.min(min, img[p]);
        max = Math.max(max, img[p]);
        if (i < 40) {
          sum[p % 3] += img[p] / 255;
          sumSq[p % 3] += (img[p] / 255) ** 2;
        }
      }
    }
    expect(min).toBe(0);
    expect(max).toBe(255);
    // 40 train images < SHAPES_STATS_SAMPLE, so the statistics cover the whole train split.
    expect(40).toBeLessThan(SHAPES_STATS_SAMPLE);
    const n = 40 * 1024;
    for (let ch = 0; ch < 3; ch++) {
      const m = sum[ch] / n;
      expect(ds.mean[ch]).toBeCloseTo(m, 5);
      expect(ds.std[ch]).toBeCloseTo(Math.sqrt(sumSq[ch] / n - m * m), 5);
    }
    const out = new Float32Array(ds.size * ds.imageSize);
    const labels = new Int32Array(ds.size);
    ds.fillBatch(Array.from({ length: ds.size }, (_, i) => i), out, labels);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('draws each class where its placement says, with that class area', () => {
    const perClass = 12;
    const coveredShare = new Array(10).fill(0);
    for (let j = 0; j < 10 * perClass; j++) {
      const { label, image, placement } = renderShapesSample(9, 'train', j);
      expect(label).toBe(j % 10);
      const colour = placement.colour.map(Math.round);
      const matches = (p: number) => [0, 1, 2].every((ch) => Math.abs(image[3 * p + ch] - colour[ch]) <= 1);
      let n = 0;
      for (let p = 0; p < 1024; p++) if (matches(p)) n++;
      // Fully covered pixels against the class area scaled to the drawn radius.
      coveredShare[label] += n / (LOCAL_AREA[SHAPE_CLASS_NAMES[label]] * placement.radius ** 2) / perClass;
      const centre = Math.floor(placement.cy) * 32 + Math.floor(placement.cx);
      const name = SHAPE_CLASS_NAMES[label];
      if (['circle', 'square', 'cross', 'star'].includes(name)) expect(matches(centre), name).toBe(true);
      if (name === 'ring') expect(matches(centre), name).toBe(false);
    }
    // Edge pixels are only partly covered, so the fully covered share is below 1 — but
    // it stays near 1 only if the right shape was drawn (a wrong class would be far off).
    coveredShare.forEach((share, k) => {
      expect(share, SHAPE_CLASS_NAMES[k]).toBeGreaterThan(0.6);
      expect(share, SHAPE_CLASS_NAMES[k]).toBeLessThan(1);
    });
  });

  it('validates sizes', () => {
    expect(() => createShapesDataset({ trainSize: 0 })).toThrow(/at least 1/);
    expect(() => createShapesDataset({ testSize: -1 })).toThrow(/non-negative integer/);
  });
});
