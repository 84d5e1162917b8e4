/** Export real bits, reload, import them back with the same accuracy; bad files change nothing; no request leaves the origin. */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, artifactPath, test } from './fixtures';
import { setTinyRun } from './tiny-run';

test('export → reload → import gives the same accuracy; a corrupted file is refused and changes nothing', async ({ page, baseURL }) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(baseURL!) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });

  await page.goto('/');
  await setTinyRun(page, { steps: 8, evalEvery: 4 });
  // The whole test split, as the import measures it (a subset's accuracy would differ).
  await page.getByTestId('eval-limit').fill('0');
  await expect(page.getByTestId('summary-file-size')).toContainText('KiB');
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 120_000 });
  const accuracy = /test acc ([\d.]+)%/.exec(await run.getByTestId('run-accuracy').innerText())![1];

  const [download] = await Promise.all([page.waitForEvent('download'), run.getByTestId('export').click()]);
  const file = artifactPath('exported.safetensors');
  await download.saveAs(file);
  await expect(run.getByTestId('export-size')).toContainText('KiB');
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  expect(header.__metadata__.format).toBe('bnn-playground');
  // Binary convs are stored as packed bits (U8), not float latent weights: six binary convs in
  // the op list, their bits in the one U8 tensor, every float parameter in the F32 one.
  expect(Object.keys(header).filter((k) => k !== '__metadata__').sort()).toEqual(['bits', 'params']);
  expect([header.bits.dtype, header.params.dtype]).toEqual(['U8', 'F32']);
  expect(header.__metadata__.ops.split('\n').filter((line: string) => line.startsWith('bconv2d ')).length).toBe(6);
  // The export for training further also holds the latent weights: 9·cin·cout floats per binary conv.
  const [latentDownload] = await Promise.all([page.waitForEvent('download'), run.getByTestId('export-latent').click()]);
  const latentBytes = readFileSync(await latentDownload.path());
  const latentHeader = JSON.parse(latentBytes.subarray(8, 8 + Number(latentBytes.readBigUInt64LE(0))).toString('utf8'));
  expect(Object.keys(latentHeader).filter((k) => k !== '__metadata__').sort()).toEqual(['bits', 'latent', 'params']);
  expect(latentHeader.latent.shape).toEqual([8 * header.bits.shape[0]]);

  await page.reload();
  await expect(page.getByTestId('run')).toHaveCount(1);
  await page.getByTestId('import-file').setInputFiles(file);
  const imported = page.getByTestId('run').nth(1);
  await expect(imported).toContainText('imported', { timeout: 120_000 });
  await expect(imported.getByTestId('run-accuracy')).toContainText(`test acc ${accuracy}%`);
  // Imported, not "finished at 0 steps"; and no warning when the accuracy agrees with the file's.
  await expect(imported.getByTestId('run-state')).toHaveText('imported');
  await expect(imported.getByTestId('run-progress')).toContainText('trained elsewhere');
  await expect(imported.getByTestId('import-warning')).toHaveCount(0);

  // The same file claiming a much higher accuracy imports with a warning that says by how much.
  const claimed = Math.min(1, Number(accuracy) / 100 + 0.2);
  const boastful = withMetadata(bytes, { test_accuracy: JSON.stringify(claimed) });
  const boastfulFile = artifactPath('boastful.safetensors');
  writeFileSync(boastfulFile, boastful);
  await page.getByTestId('import-file').setInputFiles(boastfulFile);
  const flagged = page.getByTestId('run').nth(2);
  const stored = (100 * claimed).toFixed(2).replace('.', '\\.');
  await expect(flagged.getByTestId('import-warning')).toContainText(new RegExp(`\\d+\\.\\d\\d points below the ${stored}% stored in the file`), { timeout: 120_000 });
  page.once('dialog', (d) => void d.accept());
  await flagged.getByTestId('delete').click();
  await expect(page.getByTestId('run')).toHaveCount(2);

  // A corrupted copy: the header length points past the end of the file.
  const broken = Buffer.from(bytes);
  broken.writeBigUInt64LE(BigInt(bytes.length * 2), 0);
  const brokenFile = artifactPath('corrupted.safetensors');
  writeFileSync(brokenFile, broken);
  await page.getByTestId('import-file').setInputFiles(brokenFile);
  await expect(page.getByTestId('file-error')).toContainText('corrupted.safetensors');
  await expect(page.getByTestId('run')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('run')).toHaveCount(2);

  expect(foreign).toEqual([]);
});

/** A copy of a safetensors file with some metadata values replaced (the header rewritten, padded to 8 bytes). */
function withMetadata(bytes: Buffer, changes: Record<string, string>): Buffer {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as { __metadata__: Record<string, string> };
  Object.assign(header.__metadata__, changes);
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(Buffer.byteLength(json)), 0);
  return Buffer.concat([out, Buffer.from(json, 'utf8'), bytes.subarray(8 + headerLength)]);
}
