import { AgenticGenError } from '../errors/agenticgen-error.js';

/** Things of one kind (models, agents, cache stores, …) by unique name, each remembering who added it. */
export class NamedRegistry<T> {
  readonly #kind: string;
  readonly #entries = new Map<string, { value: T; owner: string }>();

  /** `kind` names the registry in error messages, e.g. `model`. */
  constructor(kind: string) {
    this.#kind = kind;
  }

  /** Adds an entry; a second entry with the same name is an `already-exists` error naming both owners. */
  register(name: string, value: T, owner = 'app'): this {
    if (typeof name !== 'string' || name === '') {
      throw new AgenticGenError('invalid-argument', `[runtime] a ${this.#kind} name must be a non-empty string`);
    }
    const existing = this.#entries.get(name);
    if (existing !== undefined) {
      throw new AgenticGenError(
        'already-exists',
        `[runtime] ${owner} registers ${this.#kind} "${name}", which ${existing.owner} already registered; rename one of them`,
        { data: { kind: this.#kind, name, owners: [existing.owner, owner] } },
      );
    }
    this.#entries.set(name, { value, owner });
    return this;
  }

  /** The entry, or `undefined`. */
  get(name: string): T | undefined {
    return this.#entries.get(name)?.value;
  }

  /** The entry, or a `not-found` error listing the available names. */
  require(name: string): T {
    const entry = this.#entries.get(name);
    if (entry !== undefined) return entry.value;
    throw new AgenticGenError(
      'not-found',
      `[runtime] no ${this.#kind} named "${name}"; available: ${this.names().join(', ') || '(none)'}`,
      { data: { kind: this.#kind, name } },
    );
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Who registered `name` (a plugin name or `app`). */
  ownerOf(name: string): string | undefined {
    return this.#entries.get(name)?.owner;
  }

  /** Removes an entry; returns whether it existed. */
  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  entries(): Array<[string, T]> {
    return [...this.#entries].map(([name, entry]) => [name, entry.value]);
  }

  get size(): number {
    return this.#entries.size;
  }
}
