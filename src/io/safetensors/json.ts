/**
 * A strict JSON parser for untrusted headers. `JSON.parse` silently keeps the last of
 * duplicate keys and would build ordinary objects whose `__proto__` key can be abused
 * later; this parser rejects duplicates and the prototype-related keys outright, builds
 * objects without a prototype, and bounds nesting depth so hostile input cannot
 * overflow the stack. Grammar is RFC 8259; lone surrogate escapes are rejected.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A parsed JSON object: no prototype, keys in document order (integer-like keys first). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** Keys that could reach an object's prototype chain if copied naively. */
export const FORBIDDEN_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a document was refused: bad syntax, or well-formed JSON this parser will not accept. */
export type StrictJsonErrorKind = 'syntax' | 'duplicate_key' | 'forbidden_key' | 'too_deep';

export class StrictJsonError extends Error {
  readonly kind: StrictJsonErrorKind;
  /** Position in the decoded text, in UTF-16 code units. */
  readonly offset: number;

  constructor(kind: StrictJsonErrorKind, message: string, offset: number) {
    super(`${message} at character ${offset}`);
    this.name = 'StrictJsonError';
    this.kind = kind;
    this.offset = offset;
  }
}

export const DEFAULT_MAX_JSON_DEPTH = 64;

const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses `text` as one JSON value (surrounding whitespace allowed) or throws StrictJsonError. */
export function parseStrictJson(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): JsonValue {
  const parser = new StrictJsonParser(text, maxDepth);
  return parser.parseDocument();
}

class StrictJsonParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeCurrent()} after the JSON value`);
    return value;
  }

  private parseValue(depth: number): JsonValue {
    const ch = this.text[this.pos];
    switch (ch) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber();
        return this.fail(`unexpected ${this.describeCurrent()}`);
    }
  }

  private parseObject(depth: number): JsonObject {
    this.checkDepth(depth);
    const result: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    this.pos++; // '{'
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail(`expected a string key, found ${this.describeCurrent()}`);
      const keyOffset = this.pos;
      const key = this.parseString();
      if (FORBIDDEN_JSON_KEYS.has(key)) {
        throw new StrictJsonError('forbidden_key', `forbidden key ${JSON.stringify(key)}`, keyOffset);
      }
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        throw new StrictJsonError('duplicate_key', `duplicate key ${JSON.stringify(key)}`, keyOffset);
      }
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      result[key] = this.parseValue(depth);
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      this.expect('}');
      return result;
    }
  }

  private parseArray(depth: number): JsonValue[] {
    this.checkDepth(depth);
    const result: JsonValue[] = [];
    this.pos++; // '['
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue(depth));
      this.skipWhitespace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      this.expect(']');
      return result;
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) throw new StrictJsonError('syntax', 'unterminated string', start);
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        out += this.text.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (code < 0x20) this.fail('unescaped control character in string');
      if (code === 0x5c) {
        out += this.text.slice(runStart, this.pos);
        out += this.parseEscape();
        runStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  /** Parses one escape starting at the backslash; returns the text it stands for. */
  private parseEscape(): string {
    const escapeOffset = this.pos;
    const ch = this.text[this.pos + 1];
    this.pos += 2;
    switch (ch) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const unit = this.readHex4(escapeOffset);
        if (unit >= 0xdc00 && unit <= 0xdfff) throw new StrictJsonError('syntax', 'lone low surrogate escape', escapeOffset);
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (this.text[this.pos] !== '\\' || this.text[this.pos + 1] !== 'u') {
            throw new StrictJsonError('syntax', 'lone high surrogate escape', escapeOffset);
          }
          this.pos += 2;
          const low = this.readHex4(escapeOffset);
          if (low < 0xdc00 || low > 0xdfff) throw new StrictJsonError('syntax', 'lone high surrogate escape', escapeOffset);
          return String.fromCharCode(unit, low);
        }
        return String.fromCharCode(unit);
      }
      default:
        throw new StrictJsonError('syntax', 'invalid escape sequence', escapeOffset);
    }
  }

  private readHex4(escapeOffset: number): number {
    const hex = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new StrictJsonError('syntax', 'invalid \\u escape', escapeOffset);
    this.pos += 4;
    return parseInt(hex, 16);
  }

  private parseNumber(): number {
    NUMBER_PATTERN.lastIndex = this.pos;
    const match = NUMBER_PATTERN.exec(this.text);
    if (match === null) return this.fail('invalid number');
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.fail('number out of range');
    this.pos += match[0].length;
    return value;
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`unexpected ${this.describeCurrent()}`);
  }

  private checkDepth(depth: number): void {
    if (depth > this.maxDepth) {
      throw new StrictJsonError('too_deep', `nesting deeper than ${this.maxDepth} levels`, this.pos);
    }
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}', found ${this.describeCurrent()}`);
    this.pos++;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const code = text.charCodeAt(this.pos);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.pos++;
    }
  }

  private describeCurrent(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  private fail(message: string): never {
    throw new StrictJsonError('syntax', message, this.pos);
  }
}
