import { describe, expect, it } from 'vitest';
import { parseStrictJson, StrictJsonError, type JsonValue } from './json';

function parseError(text: string, maxDepth?: number): StrictJsonError {
  try {
    parseStrictJson(text, maxDepth);
  } catch (error) {
    if (error instanceof StrictJsonError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseStrictJson', () => {
  it('parses the same values as JSON.parse for ordinary documents', () => {
    const documents = [
      '{"a":{"dtype":"F32","shape":[3,3,1,16],"data_offsets":[0,576]}}',
      ' [1, -2.5, 3e2, 0, -0, true, false, null, "x"] ',
      '"esc: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00"',
      '{"nested":{"deeper":[[],{}]},"0":"integer-like key"}',
      '\t\r\n{}\n   ',
    ];
    for (const text of documents) {
      expect(plain(parseStrictJson(text))).toEqual(JSON.parse(text));
    }
  });

  it('builds objects without a prototype', () => {
    const value = parseStrictJson('{"a":{"b":1}}') as Record<string, Record<string, number>>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.getPrototypeOf(value.a)).toBeNull();
  });

  it('rejects duplicate keys that JSON.parse would silently merge', () => {
    const error = parseError('{"a":1,"b":2,"a":3}');
    expect(error.kind).toBe('duplicate_key');
    expect(error.message).toContain('duplicate key "a"');
    expect(error.offset).toBe(13); // the second "a"
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects the key %s at any depth', (key) => {
    const error = parseError(`{"ok":{"inner":[{"${key}":{"polluted":true}}]}}`);
    expect(error.kind).toBe('forbidden_key');
    expect(error.message).toContain(`forbidden key "${key}"`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const error = parseError(deep);
    expect(error.kind).toBe('too_deep');
    expect(error.message).toContain('nesting deeper than 64 levels');
    expect(parseError('[[[]]]', 2).kind).toBe('too_deep');
    expect(parseStrictJson('[[]]', 2)).toEqual([[]]);
  });

  it.each([
    ['', 'unexpected end of input'],
    ['{', 'expected a string key, found end of input'],
    ['{"a" 1}', "expected ':'"],
    ['{"a":1,}', 'expected a string key'],
    ['[1,]', 'unexpected character "]"'],
    ['[1 2]', "expected ']'"],
    ['{} {}', 'after the JSON value'],
    ["{'a':1}", 'expected a string key'],
    ['"abc', 'unterminated string'],
    ['"a\u0001b"', 'unescaped control character'],
    ['"\\x41"', 'invalid escape sequence'],
    ['"\\u12G4"', 'invalid \\u escape'],
    ['"\\ud800"', 'lone high surrogate'],
    ['"\\udc00"', 'lone low surrogate'],
    ['01', 'after the JSON value'],
    ['-', 'invalid number'],
    ['1.', 'after the JSON value'],
    ['1e999', 'number out of range'],
    ['NaN', 'unexpected character "N"'],
    ['tru', 'unexpected character "t"'],
  ])('rejects %j (%s)', (text, fragment) => {
    const error = parseError(text);
    expect(error.kind).toBe('syntax');
    expect(error.message).toContain(fragment);
  });
});

/** Copies a parsed value into ordinary objects so toEqual compares against JSON.parse. */
function plain(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v as JsonValue)]));
  }
  return value;
}
