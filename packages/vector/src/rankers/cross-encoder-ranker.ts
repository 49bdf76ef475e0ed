import { AgenticGenError, type Ranker, throwIfAborted } from '@agenticgen/core';
import { assertPositiveInteger } from '../indexes/validation.js';

/** The parts of `@huggingface/transformers` the cross-encoder uses (injectable). */
export interface CrossEncoderTransformersModule {
  /** Library settings; remote downloads are switched off by the ranker. */
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  AutoTokenizer: { from_pretrained(name: string, options?: Record<string, unknown>): Promise<unknown> };
  AutoModelForSequenceClassification: {
    from_pretrained(name: string, options?: Record<string, unknown>): Promise<unknown>;
  };
}

type Tokenizer = (
  texts: string[],
  options: { text_pair: string[]; padding: boolean; truncation: boolean },
) => Record<string, unknown>;
type Classifier = (inputs: Record<string, unknown>) => Promise<{ logits: { data: ArrayLike<number>; dims: number[] } }>;

export interface CrossEncoderRankerOptions {
  /** Local model directory (config.json, tokenizer files, onnx/model*.onnx), e.g. `Xenova/ms-marco-MiniLM-L-6-v2`. */
  modelPath: string;
  /** (query, passage) pairs per forward pass (default 16). */
  batchSize?: number;
  /** ONNX weights precision passed to transformers.js (`fp32`, `q8`…). */
  dtype?: string;
  /** Inject the `@huggingface/transformers` module (required in browsers: import it yourself). */
  transformers?: CrossEncoderTransformersModule;
}

async function importTransformers(): Promise<CrossEncoderTransformersModule> {
  const specifier = '@huggingface/transformers';
  try {
    return (await import(/* @vite-ignore */ specifier)) as CrossEncoderTransformersModule;
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      '[vector] createCrossEncoderRanker needs "@huggingface/transformers"; install it or pass { transformers }',
      { cause },
    );
  }
}

/**
 * A `Ranker` that scores each (query, passage) pair with a cross-encoder run by transformers.js from a LOCAL
 * model directory (nothing is downloaded). The score is the model's relevance logit (the positive class's for
 * two-label models). Use it with the knowledge base's `rerankTopK` to bound the forward passes per search.
 */
export async function createCrossEncoderRanker(options: CrossEncoderRankerOptions): Promise<Ranker> {
  if (typeof options?.modelPath !== 'string' || options.modelPath.trim() === '') {
    throw new AgenticGenError('invalid-config', '[vector] createCrossEncoderRanker needs { modelPath }');
  }
  const batchSize = assertPositiveInteger(options.batchSize ?? 16, 'batchSize', 'vector', 1024);
  const transformers = options.transformers ?? (await importTransformers());
  const trimmed = options.modelPath.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const name = cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = cut >= 0 ? trimmed.slice(0, cut + 1) : './';
  let tokenizer: Tokenizer;
  let model: Classifier;
  try {
    const loadOptions: Record<string, unknown> = { local_files_only: true };
    if (options.dtype !== undefined) loadOptions.dtype = options.dtype;
    tokenizer = (await transformers.AutoTokenizer.from_pretrained(name, { local_files_only: true })) as Tokenizer;
    model = (await transformers.AutoModelForSequenceClassification.from_pretrained(name, loadOptions)) as Classifier;
  } catch (cause) {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] could not load a cross-encoder from "${options.modelPath.slice(0, 200)}"; it must be a local transformers.js sequence-classification model directory`,
      { cause },
    );
  }
  return {
    name: `cross-encoder:${name}`,
    async rank(query, candidates, { signal }) {
      const scores: Array<{ id: string; score: number }> = [];
      for (let start = 0; start < candidates.length; start += batchSize) {
        throwIfAborted(signal, 'vector');
        const batch = candidates.slice(start, start + batchSize);
        const inputs = tokenizer(
          batch.map(() => query),
          { text_pair: batch.map((candidate) => candidate.text), padding: true, truncation: true },
        );
        const { logits } = await model(inputs);
        const labels = logits.dims[1] ?? 1;
        if (logits.dims[0] !== batch.length) {
          throw new AgenticGenError(
            'invalid-response',
            `[vector] the cross-encoder returned logits of shape [${logits.dims.join(', ')}] for ${batch.length} pairs`,
          );
        }
        batch.forEach((candidate, row) => {
          // One label: the relevance logit; two or more: the last (positive) class.
          scores.push({ id: candidate.id, score: Number(logits.data[row * labels + labels - 1]) });
        });
      }
      return scores;
    },
  };
}
