import { describe, expect, it } from 'vitest';
import { readSafetensors, SafetensorsError } from './index';
import { assembleSafetensors } from './fixtures';
import { MALFORMED_SAFETENSORS_CASES as cases } from './malformed-cases';

describe('readSafetensors rejects malformed files', () => {
  it('has a table of at least 12 distinct malformations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    expect(new Set(cases.map((c) => c.what)).size).toBe(cases.length);
  });

  it.each(cases)('$what', ({ file, options, code, message }) => {
    let caught: unknown;
    try {
      readSafetensors(file, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SafetensorsError);
    const error = caught as SafetensorsError;
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.message.startsWith('safetensors: ')).toBe(true);
  });

  it('leaves Object.prototype untouched after a __proto__ attack', () => {
    const attack = assembleSafetensors('{"__metadata__":{"__proto__":"x"},"__proto__":{"polluted":"yes"}}');
    expect(() => readSafetensors(attack)).toThrow(SafetensorsError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a non-byte input with the same error type', () => {
    expect(() => readSafetensors('not bytes' as unknown as Uint8Array)).toThrow(
      'safetensors: input must be a Uint8Array or an ArrayBuffer',
    );
  });
});
