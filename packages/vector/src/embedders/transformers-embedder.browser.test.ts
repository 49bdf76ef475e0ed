/**
 * The transformers.js embedder against the REAL `@huggingface/transformers` in Chromium: onnxruntime-web's
 * WASM files come from this test server (never the library's CDN default), and the tiny generated model
 * directory is handed to the library through its custom-cache hook, so nothing leaves 127.0.0.1.
 */
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import {
  expectedTinyEmbedding,
  tinyModelDimensions,
  tinyTransformersModelFiles,
} from '../testing/tiny-transformers-model.js';
import { createTransformersEmbedder, type TransformersModule } from './transformers-embedder.js';

// onnxruntime-web as installed for this package, served by Vite's file-system route (Vitest addresses test
// files by absolute path). A variable base, so Vite does not rewrite the URL as a build asset.
const here = import.meta.url;
const runtimeFiles = `/@fs${new URL('../../node_modules/onnxruntime-web/dist/', here).pathname}`;

function useLocalFiles(modelRoot: string): void {
  const files = tinyTransformersModelFiles();
  const onnx = transformers.env.backends.onnx as { wasm: Record<string, unknown> };
  onnx.wasm.wasmPaths = {
    wasm: `${runtimeFiles}ort-wasm-simd-threaded.jsep.wasm`,
    mjs: `${runtimeFiles}ort-wasm-simd-threaded.jsep.mjs`,
  };
  onnx.wasm.numThreads = 1;
  transformers.env.useBrowserCache = false;
  transformers.env.useCustomCache = true;
  transformers.env.customCache = {
    async match(request: string | Request) {
      const url = typeof request === 'string' ? request : request.url;
      const path = decodeURIComponent(new URL(url, location.href).pathname);
      const file = path.startsWith(modelRoot) ? files[path.slice(modelRoot.length)] : undefined;
      return file === undefined ? undefined : new Response(file);
    },
    async put() {},
  };
}

describe('transformers.js embedder (real library in Chromium)', { timeout: 60_000 }, () => {
  it('embeds with onnxruntime-web from local files: same vectors as the model defines', async () => {
    useLocalFiles('/models/tiny-gather-encoder/');
    const embedder = await createTransformersEmbedder({
      modelPath: '/models/tiny-gather-encoder',
      // The browser default is q8 (onnx/model_quantized.onnx); the generated directory has the fp32 graph.
      dtype: 'fp32',
      transformers: transformers as unknown as TransformersModule,
    });
    expect(embedder.dimensions).toBe(tinyModelDimensions);
    const [cats, bank] = await embedder.embed(['the cat and the dog', 'bank loan']);
    const expected = expectedTinyEmbedding(['the', 'cat', 'and', 'the', 'dog']);
    for (let d = 0; d < tinyModelDimensions; d++) expect(cats![d]).toBeCloseTo(expected[d]!, 5);
    let similarity = 0;
    for (let d = 0; d < tinyModelDimensions; d++) similarity += cats![d]! * bank![d]!;
    expect(similarity).toBeLessThan(0.3);
  });
});
