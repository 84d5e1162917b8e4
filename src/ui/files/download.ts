/** Hands bytes to the browser as a file download. */
export function downloadBytes(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a run name: letters, digits, dashes. */
export function fileNameFor(runName: string): string {
  return `${runName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model'}.safetensors`;
}
