import { useEffect, useRef } from 'react';
import type { AttentionSample } from '../../bnn/train/restriction';

type Plane = 'input' | 'attention' | 'teacher' | 'masked';

/**
 * IR2Net's restriction made visible on train images of different classes: each image, the
 * binary network's attention map resized to the input (and the full-precision teacher's
 * beside it when the run has one), and the input with the unattended pixels erased; with the
 * share of pixels each mask keeps and the attention colour scale.
 */
export function MaskViewer({ step, samples, labels }: { step: number; samples: readonly AttentionSample[]; labels?: readonly string[] }) {
  const teacher = samples.some((s) => s.teacherAttention);
  const columns: { plane: Plane; title: string }[] = [
    { plane: 'input', title: 'image' },
    { plane: 'attention', title: 'binary net attention' },
    ...(teacher ? [{ plane: 'teacher' as const, title: 'FP teacher attention' }] : []),
    { plane: 'masked', title: 'masked input' },
  ];
  const meanKeep = samples.reduce((a, s) => a + s.keep, 0) / Math.max(1, samples.length);
  return (
    <figure className="mask-viewer" data-testid="mask-viewer">
      <figcaption>
        Information restriction at step {step}: {columns.map((c) => c.title).join(' · ')}. The masks keep {(100 * meanKeep).toFixed(0)}% of the pixels on average.
      </figcaption>
      <AttentionScale />
      <div className="mask-grid">
        {samples.map((s, i) => {
          const name = labels?.[i] !== undefined ? `class ${labels[i]}` : `image ${i + 1}`;
          return (
            <div key={i} className="mask-item" data-testid="mask-item">
              <div className="mask-row">
                {columns.map((c) => (
                  <ImageCanvas key={c.plane} sample={s} plane={c.plane} label={`${name}: ${c.title}`} />
                ))}
              </div>
              <span className="muted">
                {name} · keeps {(100 * s.keep).toFixed(0)}%
              </span>
            </div>
          );
        })}
      </div>
    </figure>
  );
}

/** The attention ramp from 0 (nothing) to 1 (the map's maximum), as the canvases draw it. */
function AttentionScale() {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((a) => `${heat(a)} ${a * 100}%`).join(', ');
  return (
    <div className="attention-scale" data-testid="attention-scale">
      <span>attention 0</span>
      <span className="ramp" style={{ background: `linear-gradient(to right, ${stops})` }} role="img" aria-label="colour scale from dark blue (no attention) to yellow (the map's maximum)" />
      <span>1 = the map's maximum</span>
    </div>
  );
}

function heat(a: number): string {
  const [r, g, b] = heatRgb(a);
  return `rgb(${r}, ${g}, ${b})`;
}

function heatRgb(a: number): [number, number, number] {
  return [Math.round(255 * a), Math.round(200 * a + 30), Math.round(120 * (1 - a) + 40)];
}

const SCALE = 3;

function ImageCanvas({ sample, plane, label }: { sample: AttentionSample; plane: Plane; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(toImageData(sample, plane), 0, 0);
  }, [sample, plane]);
  return (
    <canvas
      ref={ref}
      width={sample.width}
      height={sample.height}
      style={{ width: sample.width * SCALE, height: sample.height * SCALE, imageRendering: 'pixelated' }}
      role="img"
      aria-label={label}
      title={label}
      data-testid="mask-image"
    />
  );
}

/**
 * Normalised images are shown min–max stretched per image (only relative brightness matters
 * for seeing what was erased); attention maps on the heat ramp of AttentionScale.
 */
function toImageData(s: AttentionSample, plane: Plane): ImageData {
  const img = new ImageData(s.width, s.height);
  const n = s.width * s.height;
  const map = plane === 'attention' ? s.attention : plane === 'teacher' ? s.teacherAttention : null;
  if (map) {
    for (let p = 0; p < n; p++) img.data.set([...heatRgb(map[p]), 255], 4 * p);
    return img;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of s.input) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi > lo ? hi - lo : 1;
  const values = plane === 'input' ? s.input : s.masked;
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = values[p * s.channels + Math.min(c, s.channels - 1)];
      img.data[4 * p + c] = Math.round((255 * (v - lo)) / span);
    }
    img.data[4 * p + 3] = 255;
  }
  return img;
}
