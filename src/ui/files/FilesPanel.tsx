import { useId, useState } from 'react';
import { useRuns } from '../../state/runs';

/** Largest model file the page reads (the reader checks again, strictly). */
const MAX_MODEL_BYTES = 256 * 2 ** 20;
const MAX_CIFAR_BYTES = 40 * 2 ** 20;

/** Import an exported model; upload the official CIFAR-10 binary batches. */
export function FilesPanel() {
  const importFile = useRuns((s) => s.importFile);
  const uploadCifar10 = useRuns((s) => s.uploadCifar10);
  const fileError = useRuns((s) => s.fileError);
  const cifar10 = useRuns((s) => s.cifar10);
  const [busy, setBusy] = useState<string | null>(null);
  const modelId = useId();
  const cifarId = useId();

  const tooBig = (f: File, max: number): boolean => {
    if (f.size <= max) return false;
    useRuns.setState({ fileError: `${f.name}: ${(f.size / 2 ** 20).toFixed(1)} MiB is larger than the ${max / 2 ** 20} MiB this page reads` });
    return true;
  };

  return (
    <section className="files panel" aria-label="Files">
      <h2>Files</h2>
      <div className="file-row">
        <label htmlFor={modelId}>Import a model (.safetensors)</label>
        <input
          id={modelId}
          type="file"
          accept=".safetensors"
          data-testid="import-file"
          disabled={busy !== null}
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f || tooBig(f, MAX_MODEL_BYTES)) return;
            setBusy(`checking ${f.name} and measuring it on its test split…`);
            await importFile(f.name, new Uint8Array(await f.arrayBuffer()));
            setBusy(null);
          }}
        />
      </div>
      <div className="file-row">
        <label htmlFor={cifarId}>Upload CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin)</label>
        <input
          id={cifarId}
          type="file"
          accept=".bin"
          multiple
          data-testid="cifar-files"
          disabled={busy !== null}
          onChange={async (e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length === 0 || files.some((f) => tooBig(f, MAX_CIFAR_BYTES))) return;
            setBusy(`reading ${files.length} CIFAR-10 file(s)…`);
            await uploadCifar10(await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
            setBusy(null);
          }}
        />
      </div>
      {busy && (
        <p className="muted" role="status">
          <progress aria-label="working" /> {busy}
        </p>
      )}
      {cifar10 && (
        <p className="muted" data-testid="cifar-status">
          CIFAR-10 loaded: {cifar10.train.toLocaleString('en-US')} train and {cifar10.test.toLocaleString('en-US')} test images. Pick it as the dataset.
        </p>
      )}
      {fileError && (
        <p className="error" role="alert" data-testid="file-error">
          {fileError}
        </p>
      )}
    </section>
  );
}
