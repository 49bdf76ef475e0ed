import type { ChatStreamPart, FinishReason, Usage } from '../contracts/chat-model.js';
import { throwIfAborted } from '../errors/abort.js';
import { collectStream } from '../models/collect-stream.js';
import { addUsage } from '../models/usage.js';
import type { ValidationIssue } from '../schema/validator.js';
import {
  type AnyGenerateOptions,
  type GenerateArrayOptions,
  type GenerateEnumOptions,
  type GenerateJsonOptions,
  type GenerateObjectOptions,
  strategyFor,
} from './generate-object.js';
import type { AnySchema, InferSchema } from './output-schema.js';
import { PartialJsonParser } from './partial-json.js';
import {
  answerText,
  invalidOutputError,
  isRefusal,
  parseJsonAnswer,
  planStructuredRequest,
  refusalError,
  repairMessages,
} from './structured-request.js';

/** Recursively optional: what a partial object may hold while its JSON streams in. */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? Array<DeepPartial<E>>
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** One event of a structured stream. */
export type StreamObjectPart<T, P, E> =
  | { type: 'text-delta'; delta: string }
  | { type: 'partial'; object: P }
  | { type: 'element'; element: E; index: number }
  | { type: 'repair'; attempt: number; issues: ValidationIssue[] }
  | { type: 'finish'; object: T; usage: Usage; finishReason: FinishReason; attempts: number };

/**
 * A structured answer as it streams. Iterate the result itself for every event, or one of the views. Views
 * opened after the stream started first replay what they missed (every text delta and element, and the latest
 * partial object). A consumer slower than the model sees the latest partial object, not every one.
 */
export interface StreamObjectResult<T, P, E = never> extends AsyncIterable<StreamObjectPart<T, P, E>> {
  /** Deep-partial objects as the JSON arrives; each is a new object, closed parts are shared and frozen. */
  readonly partialObjectStream: AsyncIterable<P>;
  /** Array output: each element once it is complete and valid. */
  readonly elementStream: AsyncIterable<E>;
  /** The raw JSON text deltas (tool arguments in tool mode). */
  readonly textStream: AsyncIterable<string>;
  /** The final validated object (after repairs); rejects with `invalid-output`, `output-refused`, … */
  readonly object: Promise<T>;
  /** Tokens of every call, repairs included. */
  readonly usage: Promise<Usage>;
  /** Why the last call stopped. */
  readonly finishReason: Promise<FinishReason>;
}

const scope = 'structured';

/** Streams structured data: deep-partial objects as the JSON arrives, then the validated object. */
export function streamObject<S extends AnySchema>(
  options: GenerateObjectOptions<S>,
): StreamObjectResult<InferSchema<S>, DeepPartial<InferSchema<S>>>;
export function streamObject<S extends AnySchema>(
  options: GenerateArrayOptions<S>,
): StreamObjectResult<Array<InferSchema<S>>, Array<DeepPartial<InferSchema<S>>>, InferSchema<S>>;
export function streamObject<V extends string>(options: GenerateEnumOptions<V>): StreamObjectResult<V, undefined>;
export function streamObject(options: GenerateJsonOptions): StreamObjectResult<unknown, unknown>;
export function streamObject(options: AnyGenerateOptions): StreamObjectResult<unknown, unknown, unknown> {
  return new ObjectStream(options);
}

type Part = StreamObjectPart<unknown, unknown, unknown>;

interface Subscriber {
  /** The parts this view shows; others never enter its queue, so partials in it are adjacent and coalesce. */
  accepts: (part: Part) => boolean;
  queue: Part[];
  /** Index of the next part to read: shifting an array per read would cost its length each time. */
  head: number;
  wake: (() => void) | undefined;
}

class ObjectStream implements StreamObjectResult<unknown, unknown, unknown> {
  readonly #options: AnyGenerateOptions;
  readonly #subscribers = new Set<Subscriber>();
  /** Everything but partial objects, for views opened late; linear in the answer's size. */
  readonly #replay: Part[] = [];
  #latestPartial: Part | undefined;
  #ended = false;
  #failure: unknown;
  #started = false;
  readonly #final: Promise<{ object: unknown; usage: Usage; finishReason: FinishReason }>;
  #settle!: {
    resolve: (value: { object: unknown; usage: Usage; finishReason: FinishReason }) => void;
    reject: (error: unknown) => void;
  };

  constructor(options: AnyGenerateOptions) {
    this.#options = options;
    // Validate the options now, so a bad call fails where it is made.
    planStructuredRequest(options, strategyFor(options), scope);
    this.#final = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // The promises reject for whoever awaits them; nobody awaiting is not an unhandled rejection.
    this.#final.catch(() => undefined);
  }

  get object(): Promise<unknown> {
    this.#start();
    return this.#final.then((final) => final.object);
  }

  get usage(): Promise<Usage> {
    this.#start();
    return this.#final.then((final) => final.usage);
  }

  get finishReason(): Promise<FinishReason> {
    this.#start();
    return this.#final.then((final) => final.finishReason);
  }

  get partialObjectStream(): AsyncIterable<unknown> {
    return this.#view('partial', (part) => (part as Extract<Part, { type: 'partial' }>).object);
  }

  get elementStream(): AsyncIterable<unknown> {
    return this.#view('element', (part) => (part as Extract<Part, { type: 'element' }>).element);
  }

  get textStream(): AsyncIterable<string> {
    return this.#view('text-delta', (part) => (part as Extract<Part, { type: 'text-delta' }>).delta);
  }

  [Symbol.asyncIterator](): AsyncIterator<Part> {
    return this.#view(undefined, (part) => part)[Symbol.asyncIterator]();
  }

  #view<V>(type: Part['type'] | undefined, select: (part: Part) => V): AsyncIterable<V> {
    const accepts = (part: Part) => type === undefined || part.type === type;
    return {
      [Symbol.asyncIterator]: () => {
        const subscriber: Subscriber = { accepts, queue: this.#replay.filter(accepts), head: 0, wake: undefined };
        if (this.#latestPartial !== undefined && accepts(this.#latestPartial))
          subscriber.queue.push(this.#latestPartial);
        this.#subscribers.add(subscriber);
        this.#start();
        return {
          next: async (): Promise<IteratorResult<V>> => {
            for (;;) {
              if (subscriber.head < subscriber.queue.length) {
                const part = subscriber.queue[subscriber.head++] as Part;
                if (subscriber.head > 1024 && subscriber.head * 2 > subscriber.queue.length) {
                  subscriber.queue.splice(0, subscriber.head);
                  subscriber.head = 0;
                }
                return { done: false, value: select(part) };
              }
              if (this.#ended) {
                this.#subscribers.delete(subscriber);
                if (this.#failure !== undefined) throw this.#failure;
                return { done: true, value: undefined };
              }
              await new Promise<void>((resolve) => {
                subscriber.wake = resolve;
              });
            }
          },
          return: async (): Promise<IteratorResult<V>> => {
            this.#subscribers.delete(subscriber);
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  #emit(part: Part): void {
    if (part.type === 'partial') this.#latestPartial = part;
    else this.#replay.push(part);
    for (const subscriber of this.#subscribers) {
      if (!subscriber.accepts(part)) continue;
      const last =
        subscriber.head < subscriber.queue.length ? subscriber.queue[subscriber.queue.length - 1] : undefined;
      // A slow consumer gets the latest partial object instead of a backlog of stale ones.
      if (part.type === 'partial' && last?.type === 'partial') subscriber.queue[subscriber.queue.length - 1] = part;
      else subscriber.queue.push(part);
      this.#wake(subscriber);
    }
  }

  #wake(subscriber: Subscriber): void {
    const wake = subscriber.wake;
    subscriber.wake = undefined;
    wake?.();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#pump().then(
      (final) => this.#finish(undefined, final),
      (error: unknown) => this.#finish(error, undefined),
    );
  }

  #finish(error: unknown, final: { object: unknown; usage: Usage; finishReason: FinishReason } | undefined): void {
    this.#ended = true;
    if (final !== undefined) this.#settle.resolve(final);
    else {
      this.#failure = error;
      this.#settle.reject(error);
    }
    for (const subscriber of this.#subscribers) this.#wake(subscriber);
  }

  async #pump(): Promise<{ object: unknown; usage: Usage; finishReason: FinishReason }> {
    const options = this.#options;
    const strategy = strategyFor(options);
    const plan = planStructuredRequest(options, strategy, scope);
    const { maxRepairs } = plan;
    const messages = [...plan.request.messages];
    let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    let delivered = 0;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(options.signal, scope);
      const completed: unknown[] = [];
      const parser = new PartialJsonParser({
        onValue: (value, depth) => {
          if (depth === strategy.elementDepth) completed.push(value);
        },
      });
      let seenElements = 0;
      let shownVersion = -1;
      let streamedText = '';
      const read = async (delta: string) => {
        streamedText += delta;
        this.#emit({ type: 'text-delta', delta });
        parser.push(delta);
        // Elements of a repaired answer that were delivered already are not delivered twice.
        while (completed.length > 0) {
          const element = completed.shift();
          const index = seenElements++;
          if (index < delivered || strategy.validateElement === undefined) continue;
          const checked = await strategy.validateElement(element);
          if (!checked.ok) break;
          delivered++;
          this.#emit({ type: 'element', element: checked.value, index });
        }
        if (parser.version !== shownVersion) {
          shownVersion = parser.version;
          const partial = strategy.partial(parser.snapshot());
          if (partial !== undefined) this.#emit({ type: 'partial', object: partial });
        }
      };
      const pending: string[] = [];
      const onPart = (part: ChatStreamPart) => {
        if (plan.mode === 'tool') {
          if (part.type === 'tool-call-delta') pending.push(part.argumentsDelta);
        } else if (part.type === 'text-delta') pending.push(part.delta);
      };
      const parts = options.model.stream({ ...plan.request, messages });
      const response = await collectStream(
        (async function* (): AsyncGenerator<ChatStreamPart> {
          for await (const part of parts) {
            onPart(part);
            while (pending.length > 0) await read(pending.shift() as string);
            yield part;
          }
        })(),
        { modelId: options.model.modelId },
      );
      usage = addUsage(usage, response.usage);
      // A tool call streamed without argument deltas still has its input at the end.
      if (streamedText === '') await read(answerText(response, plan));
      const text = streamedText;
      if (isRefusal(response.finishReason, response))
        throw refusalError(scope, text, usage, response.providerMetadata?.refusal);
      const parsed = parseJsonAnswer(text);
      const checked = parsed.ok ? await strategy.finalize(parsed.value) : parsed;
      if (checked.ok) {
        this.#emit({
          type: 'finish',
          object: checked.value,
          usage,
          finishReason: response.finishReason,
          attempts: attempt,
        });
        return { object: checked.value, usage, finishReason: response.finishReason };
      }
      if (attempt > maxRepairs || response.finishReason === 'length') {
        throw invalidOutputError(scope, text, checked.issues, usage, attempt, response.finishReason);
      }
      this.#emit({ type: 'repair', attempt: attempt + 1, issues: checked.issues });
      messages.push(...repairMessages(plan, response, checked.issues));
    }
  }
}
