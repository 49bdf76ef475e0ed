/**
 * An incremental JSON parser for model output that arrives in chunks. Every character is read once, so the
 * whole stream costs time linear in its length (re-parsing the growing buffer on every chunk is quadratic).
 *
 * `snapshot()` returns the value parsed so far as a deep-partial: strings and numbers in progress are
 * included, keys and literals (`tru`) in progress are not. Containers that are already closed are frozen and
 * shared between snapshots; only the containers still open are copied (shallowly), so a snapshot costs the
 * size of the open containers, not of the whole value.
 */

type Container = Record<string, unknown> | unknown[];

interface Frame {
  /** The live container this frame fills. */
  readonly value: Container;
  readonly isArray: boolean;
  /** Object frames: the key whose value is being read (set once its closing quote is read). */
  key: string | undefined;
  /** What the frame expects next. */
  expect: 'key-or-end' | 'key' | 'colon' | 'value-or-end' | 'value' | 'comma-or-end';
  /** Set when a scalar of this frame is in progress (its partial value is shown in snapshots). */
  partial: unknown;
  /** Whether `partial` holds a value to show. */
  hasPartial: boolean;
}

type Token =
  | { kind: 'none' }
  | { kind: 'string'; isKey: boolean; text: string; escape: string | undefined }
  | { kind: 'number'; text: string }
  | { kind: 'literal'; text: string };

const literals: Record<string, unknown> = { true: true, false: false, null: null };
const simpleEscapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const numberChar = /[0-9eE.+-]/;
const stringSpecial = /["\\]/g;

export interface PartialJsonParserOptions {
  /**
   * Called with each value as soon as it is complete, with the stack depth of its parent container (the root
   * value has depth 0, a member of the root container 1, …). Used to stream array elements one by one.
   */
  onValue?: (value: unknown, depth: number) => void;
  /** Skip text before the first `{` or `[` (a model's preamble or a Markdown fence). Default true. */
  skipPreamble?: boolean;
}

export class PartialJsonParser {
  readonly #stack: Frame[] = [];
  readonly #onValue: ((value: unknown, depth: number) => void) | undefined;
  #token: Token = { kind: 'none' };
  #root: unknown;
  #hasRoot = false;
  #done = false;
  #failed: string | undefined;
  #started: boolean;
  /** Increases whenever the visible value changes; snapshots are cached per version. */
  #version = 0;
  #snapshotVersion = -1;
  #snapshot: unknown;

  constructor(options: PartialJsonParserOptions = {}) {
    this.#onValue = options.onValue;
    this.#started = options.skipPreamble === false;
  }

  /** True once the root value is complete. */
  get done(): boolean {
    return this.#done;
  }

  /** Why parsing stopped, when the text is not JSON; later chunks are ignored. */
  get error(): string | undefined {
    return this.#failed;
  }

  /** Changes on every visible change of the value; equal versions mean equal snapshots. */
  get version(): number {
    return this.#version;
  }

  /** Reads the next chunk of text. */
  push(chunk: string): void {
    let index = 0;
    const length = chunk.length;
    while (index < length && this.#failed === undefined && !this.#done) {
      const token = this.#token;
      if (token.kind === 'string') {
        index = this.#readString(token, chunk, index);
        continue;
      }
      const char = chunk[index] as string;
      if (token.kind === 'number') {
        if (numberChar.test(char)) {
          token.text += char;
          this.#showPartial(numericPrefix(token.text));
          index++;
          continue;
        }
        this.#finishScalar(Number(token.text), token.text);
        continue; // the terminating character is read again in the frame's state
      }
      if (token.kind === 'literal') {
        if (char >= 'a' && char <= 'z') {
          token.text += char;
          index++;
          if (token.text.length > 5) this.#fail(`unexpected literal`);
          continue;
        }
        if (!(token.text in literals)) {
          this.#fail('unexpected literal');
          continue;
        }
        this.#finishScalar(literals[token.text], token.text);
        continue;
      }
      if (!this.#started) {
        if (char === '{' || char === '[') this.#started = true;
        else {
          index++;
          continue;
        }
      }
      this.#readStructure(char);
      index++;
    }
  }

  /** Ends the input: a number or literal at the very end of the text is complete now. */
  end(): void {
    const token = this.#token;
    if (token.kind === 'number') this.#finishScalar(Number(token.text), token.text);
    else if (token.kind === 'literal' && token.text in literals) this.#finishScalar(literals[token.text], token.text);
  }

  /** The value so far (deep-partial), or `undefined` before anything is known. */
  snapshot(): unknown {
    if (this.#snapshotVersion === this.#version) return this.#snapshot;
    this.#snapshotVersion = this.#version;
    if (this.#stack.length === 0) {
      this.#snapshot = this.#hasRoot ? this.#root : undefined;
      return this.#snapshot;
    }
    // Copy the open containers from the innermost out, so each copy holds its child's copy.
    let child: unknown;
    let hasChild = false;
    for (let depth = this.#stack.length - 1; depth >= 0; depth--) {
      const frame = this.#stack[depth] as Frame;
      let copy: Container;
      if (frame.isArray) {
        copy = (frame.value as unknown[]).slice();
      } else {
        copy = { ...(frame.value as Record<string, unknown>) };
      }
      const inner = hasChild ? child : frame.hasPartial ? frame.partial : undefined;
      const hasInner = hasChild || frame.hasPartial;
      if (hasInner) {
        if (frame.isArray) (copy as unknown[]).push(inner);
        else if (frame.key !== undefined) (copy as Record<string, unknown>)[frame.key] = inner;
      }
      child = copy;
      hasChild = true;
    }
    this.#snapshot = child;
    return child;
  }

  #readString(token: Extract<Token, { kind: 'string' }>, chunk: string, start: number): number {
    let index = start;
    if (token.escape !== undefined) {
      // An escape split across chunks: collect it character by character.
      while (index < chunk.length && token.escape !== undefined) {
        token.escape += chunk[index];
        index++;
        const decoded = decodeEscape(token.escape);
        if (decoded === null) {
          this.#fail('invalid escape in string');
          return chunk.length;
        }
        if (decoded !== undefined) {
          token.text += decoded;
          token.escape = undefined;
        }
      }
      if (token.escape !== undefined) return index;
    }
    stringSpecial.lastIndex = index;
    const match = stringSpecial.exec(chunk);
    const stop = match === null ? chunk.length : match.index;
    if (stop > index) {
      token.text += chunk.slice(index, stop);
      if (!token.isKey) this.#showPartial(token.text);
    }
    if (match === null) return chunk.length;
    if (match[0] === '"') {
      if (token.isKey) this.#finishKey(token.text);
      else this.#finishScalar(token.text, undefined);
      return stop + 1;
    }
    token.escape = '';
    return stop + 1;
  }

  #readStructure(char: string): void {
    if (char === ' ' || char === '\n' || char === '\r' || char === '\t') return;
    const frame = this.#stack[this.#stack.length - 1];
    if (frame === undefined) {
      if (this.#hasRoot) return;
      this.#startValue(char, undefined);
      return;
    }
    switch (frame.expect) {
      case 'key-or-end':
      case 'key':
        if (char === '"') {
          this.#token = { kind: 'string', isKey: true, text: '', escape: undefined };
          frame.expect = 'colon';
        } else if (char === '}' && frame.expect === 'key-or-end') this.#closeContainer();
        else this.#fail(`expected a key, found ${JSON.stringify(char)}`);
        return;
      case 'colon':
        if (char === ':') frame.expect = 'value';
        else this.#fail(`expected ":", found ${JSON.stringify(char)}`);
        return;
      case 'value-or-end':
        if (char === ']') {
          this.#closeContainer();
          return;
        }
        this.#startValue(char, frame);
        return;
      case 'value':
        this.#startValue(char, frame);
        return;
      case 'comma-or-end':
        if (char === ',') frame.expect = frame.isArray ? 'value' : 'key';
        else if (char === (frame.isArray ? ']' : '}')) this.#closeContainer();
        else this.#fail(`expected "," or the container's end, found ${JSON.stringify(char)}`);
        return;
    }
  }

  #startValue(char: string, frame: Frame | undefined): void {
    if (frame !== undefined) frame.expect = 'comma-or-end';
    if (char === '{' || char === '[') {
      const isArray = char === '[';
      this.#stack.push({
        value: isArray ? [] : {},
        isArray,
        key: undefined,
        expect: isArray ? 'value-or-end' : 'key-or-end',
        partial: undefined,
        hasPartial: false,
      });
      this.#version++;
    } else if (char === '"') {
      this.#token = { kind: 'string', isKey: false, text: '', escape: undefined };
      this.#showPartial('');
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      this.#token = { kind: 'number', text: char };
      this.#showPartial(numericPrefix(char));
    } else if (char >= 'a' && char <= 'z') {
      this.#token = { kind: 'literal', text: char };
    } else {
      this.#fail(`unexpected ${JSON.stringify(char)}`);
    }
  }

  #finishKey(key: string): void {
    this.#token = { kind: 'none' };
    const frame = this.#stack[this.#stack.length - 1] as Frame;
    frame.key = key;
  }

  #finishScalar(value: unknown, numberText: string | undefined): void {
    this.#token = { kind: 'none' };
    if (numberText !== undefined && typeof value === 'number' && !Number.isFinite(value)) {
      this.#fail('invalid number');
      return;
    }
    this.#attach(value);
  }

  #closeContainer(): void {
    const frame = this.#stack.pop() as Frame;
    this.#attach(Object.freeze(frame.value));
  }

  /** Puts a finished value into its parent (or makes it the root). */
  #attach(value: unknown): void {
    const parent = this.#stack[this.#stack.length - 1];
    this.#version++;
    if (parent === undefined) {
      this.#root = value;
      this.#hasRoot = true;
      this.#done = true;
      this.#onValue?.(value, 0);
      return;
    }
    parent.hasPartial = false;
    parent.partial = undefined;
    if (parent.isArray) (parent.value as unknown[]).push(value);
    else if (parent.key !== undefined) {
      (parent.value as Record<string, unknown>)[parent.key] = value;
      parent.key = undefined;
    }
    this.#onValue?.(value, this.#stack.length);
  }

  #showPartial(value: unknown): void {
    const frame = this.#stack[this.#stack.length - 1];
    if (frame === undefined) return;
    if (value === undefined) {
      if (!frame.hasPartial) return;
      frame.hasPartial = false;
      frame.partial = undefined;
    } else {
      frame.partial = value;
      frame.hasPartial = true;
    }
    this.#version++;
  }

  #fail(reason: string): void {
    this.#failed ??= reason;
  }
}

/** `undefined`: the escape needs more characters; `null`: not a JSON escape. */
function decodeEscape(sequence: string): string | null | undefined {
  const head = sequence[0] as string;
  if (head !== 'u') return simpleEscapes[head] ?? null;
  if (sequence.length < 5) return /^u[0-9a-fA-F]*$/.test(sequence) ? undefined : null;
  return /^u[0-9a-fA-F]{4}$/.test(sequence) ? String.fromCharCode(Number.parseInt(sequence.slice(1), 16)) : null;
}

/** The longest prefix of a number in progress that is a number itself (`-` and `1e` show nothing / 1). */
function numericPrefix(text: string): number | undefined {
  const trimmed = text.replace(/[eE.+-]+$/, '');
  if (trimmed === '' || trimmed === '-') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
