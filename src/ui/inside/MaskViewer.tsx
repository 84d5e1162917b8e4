import { useEffect, useRef } from 'react';
import type { AttentionSample } from '../../bnn/train/restriction';

/**
 * IR2Net's restriction made visible: each train image, the last stage's attention map resized to
 * the input, and the input with the unattended pixels erased to the mean colour.
 */
export function MaskViewer({ step, samples }: { step: number; samples: AttentionSample[] }) {
  return (
    <figure className="mask-viewer" data-testid="mask-viewer">
      <figcaption>Information restriction at step {step}: input · attention · masked input</figcaption>
      <div className="mask-grid">
        {samples.map((s, i) => (
          <div key={i} className="mask-row">
            <ImageCanvas sample={s} plane="input" label={`image ${i + 1}`} />
            <ImageCanvas sample={s} plane="attention" label={`attention ${i + 1}`} />
            <ImageCanvas sample={s} plane="masked" label={`masked ${i + 1}`} />
          </div>
        ))}
      </div>
    </figure>
  );
}

const SCALE = 3;

function ImageCanvas({ sample, plane, label }: { sample: AttentionSample; plane: 'input' | 'attention' | 'masked'; label: string }) {
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
      data-testid="mask-image"
    />
  );
}

/**
 * Normalised images are shown by min–max stretching per image (the dataset normalisation is not
 * undone here: only relative brightness matters for seeing what was erased); attention as a heat
 * ramp from dark blue to yellow.
 */
function toImageData(s: AttentionSample, plane: 'input' | 'attention' | 'masked'): ImageData {
  const img = new ImageData(s.width, s.height);
  const n = s.width * s.height;
  if (plane === 'attention') {
    for (let p = 0; p < n; p++) {
      const a = s.attention[p];
      img.data.set([Math.round(255 * a), Math.round(200 * a + 30), Math.round(120 * (1 - a) + 40), 255], 4 * p);
    }
    return img;
  }
  const src = s.input;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of src) {
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
