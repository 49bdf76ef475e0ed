import { AgenticGenError, type Embedder, type EmbedOptions, throwIfAborted } from '@agenticgen/core';
import { assertPositiveInteger } from '../indexes/validation.js';

/** The part of a transformers.js feature-extraction output the embedder reads (a Tensor). */
export interface FeatureTensor {
  /** Row-major values, `dims[0] × dims[1]`. */
  data: Float32Array | ArrayLike<number>;
  /** `[batch, hidden size]` after pooling. */
  dims: readonly number[];
}

/** A transformers.js feature-extraction pipeline. */
export type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<FeatureTensor>;

/** The parts of the `@huggingface/transformers` module the embedder uses (injectable). */
export interface TransformersModule {
  /** Library settings; remote downloads are switched off by the embedder. */
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  /** Creates a pipeline. */
  pipeline(task: 'feature-extraction', model: string, options?: Record<string, unknown>): Promise<unknown>;
}

/** Options of `createTransformersEmbedder`. */
export interface TransformersEmbedderOptions {
  /**
   * Local model directory (config.json, tokenizer files, onnx/model*.onnx), e.g. a downloaded
   * `Xenova/all-MiniLM-L6-v2`. Nothing is ever downloaded: remote models are disabled.
   */
  modelPath: string;
  /** Pooling of token vectors; default `mean` (sentence-transformers models). */
  pooling?: 'mean' | 'cls';
  /** L2-normalise the vectors; default true. */
  normalize?: boolean;
  /** Texts per forward pass; default 32. */
  batchSize?: number;
  /** ONNX weights precision passed to transformers.js (`fp32`, `fp16`, `q8`…); default the library's. */
  dtype?: string;
  /** Inject the `@huggingface/transformers` module (required in browsers: import it yourself). */
  transformers?: TransformersModule;
}

async function importTransformers(): Promise<TransformersModule> {
  // A variable specifier: bundlers must not pull this optional, heavy peer into every bundle.
  const specifier = '@huggingface/transformers';
  try {
    return (await import(/* @vite-ignore */ specifier)) as TransformersModule;
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      '[vector] createTransformersEmbedder needs "@huggingface/transformers"; install it or pass { transformers } (the imported module)',
      { cause },
    );
  }
}

/**
 * Neural sentence embeddings with transformers.js from a LOCAL model directory. The model is loaded once
 * (on creation, which also measures the vector length); `embed` runs batches of `batchSize`.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  if (typeof options?.modelPath !== 'string' || options.modelPath.trim() === '') {
    throw new AgenticGenError(
      'invalid-config',
      '[vector] createTransformersEmbedder needs { modelPath } (a local model directory)',
    );
  }
  const batchSize = assertPositiveInteger(options.batchSize ?? 32, 'batchSize', 'vector', 4096);
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  const transformers = options.transformers ?? (await importTransformers());
  // transformers.js resolves a model id under env.localModelPath: split the path into parent + name.
  const trimmed = options.modelPath.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const parent = cut >= 0 ? trimmed.slice(0, cut + 1) : './';
  const name = cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = parent;
  let extractor: FeatureExtractor;
  try {
    const pipelineOptions: Record<string, unknown> = { local_files_only: true };
    if (options.dtype !== undefined) pipelineOptions.dtype = options.dtype;
    extractor = (await transformers.pipeline('feature-extraction', name, pipelineOptions)) as FeatureExtractor;
  } catch (cause) {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] could not load the model from "${options.modelPath}"; it must be a local transformers.js model directory (config.json, tokenizer.json, onnx/)`,
      { cause },
    );
  }

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const output = await extractor(texts, { pooling, normalize });
    const [rows, width] = output.dims;
    if (output.dims.length !== 2 || rows !== texts.length || width === undefined || width < 1) {
      throw new AgenticGenError(
        'invalid-response',
        `[vector] the model returned shape [${output.dims.join(', ')}] for ${texts.length} texts; use a sentence-embedding model with pooling`,
      );
    }
    return Array.from({ length: rows }, (_, row) =>
      Float32Array.from(Array.prototype.slice.call(output.data, row * width, (row + 1) * width)),
    );
  };
  const [probe] = await run(['dimension probe']);
  const dimensions = probe!.length;

  return {
    id: `transformers:${name}:${pooling}${normalize ? ':normalized' : ''}${options.dtype ? `:${options.dtype}` : ''}`,
    dimensions,
    normalized: normalize,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
        throw new AgenticGenError('invalid-argument', '[vector] embed takes an array of strings');
      }
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        throwIfAborted(embedOptions?.signal, 'vector');
        vectors.push(...(await run(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
  };
}
