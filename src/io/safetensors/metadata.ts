import type { z } from 'zod';
import { SafetensorsError } from './error';
import { parseStrictJson, StrictJsonError } from './json';

/**
 * Reads a `__metadata__` value that itself holds JSON (safetensors metadata is
 * string -> string, so structured data such as the architecture is stored as a JSON
 * string). The text goes through the strict parser (no duplicate or prototype keys,
 * bounded depth) and then the caller's zod schema; any failure is a SafetensorsError.
 */
export function parseMetadataJson<S extends z.ZodType>(
  metadata: Readonly<Record<string, string>>,
  key: string,
  schema: S,
): z.output<S> {
  if (!Object.prototype.hasOwnProperty.call(metadata, key)) {
    throw new SafetensorsError('metadata_json', `__metadata__ has no '${key}' entry`);
  }
  let value: unknown;
  try {
    value = parseStrictJson(metadata[key]);
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    throw new SafetensorsError('metadata_json', `__metadata__ '${key}' is not acceptable JSON: ${error.message}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 3).map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `${path}: ${issue.message}`;
    });
    const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
    throw new SafetensorsError('metadata_json', `__metadata__ '${key}' does not match its schema: ${problems.join('; ')}${more}`);
  }
  return result.data;
}
