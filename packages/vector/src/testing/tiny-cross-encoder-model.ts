/**
 * A tiny but real cross-encoder model directory for transformers.js, generated in code (tests have no internet):
 * the tiny WordPiece vocabulary and topic embedding table of tiny-transformers-model.ts, a BERT tokenizer that
 * encodes (query, passage) pairs as `[CLS] query [SEP] passage [SEP]` with token type ids, and an ONNX graph
 * `BertForSequenceClassification` runs: logit = (sum of query-token vectors) · (sum of passage-token vectors).
 * A passage on the query's topic therefore scores higher, and the expected logit is computable here too.
 */
import {
  encode,
  type Field,
  tensorValueInfo,
  tinyModelDimensions,
  tinyModelEmbeddings,
  tinyModelVocabulary,
  tinyTransformersModelFiles,
} from './tiny-transformers-model.js';

const floatType = 1;
const int64Type = 7;

function int64Tensor(name: string, values: bigint[]): Field[] {
  return [
    [1, values.length],
    [2, int64Type],
    [8, name],
    [9, new Uint8Array(BigInt64Array.from(values).buffer)],
  ];
}

function node(op: string, inputs: string[], output: string, attributes: Field[][] = []): Field[] {
  return [
    ...inputs.map((input): Field => [1, input]),
    [2, output],
    [3, `${op}-${output}`],
    [4, op],
    ...attributes.map((attribute): Field => [5, attribute]),
  ];
}

const intAttribute = (name: string, value: number): Field[] => [
  [1, name],
  [3, value],
  [20, 2], // AttributeProto.INT
];

function crossEncoderGraph(): Uint8Array<ArrayBuffer> {
  const graph: Field[] = [
    [1, node('Gather', ['embeddings', 'input_ids'], 'token_vectors')],
    [1, node('Cast', ['token_type_ids'], 'passage_mask', [intAttribute('to', floatType)])],
    [1, node('Unsqueeze', ['passage_mask', 'axis_2'], 'passage_mask_3d')],
    [1, node('Mul', ['token_vectors', 'passage_mask_3d'], 'passage_vectors')],
    [1, node('Sub', ['token_vectors', 'passage_vectors'], 'query_vectors')],
    [1, node('ReduceSum', ['passage_vectors', 'axis_1'], 'passage_sum', [intAttribute('keepdims', 0)])],
    [1, node('ReduceSum', ['query_vectors', 'axis_1'], 'query_sum', [intAttribute('keepdims', 0)])],
    [1, node('Mul', ['query_sum', 'passage_sum'], 'products')],
    [1, node('ReduceSum', ['products', 'axis_1'], 'logits', [intAttribute('keepdims', 1)])],
    [2, 'tiny-cross-encoder'],
    [
      5,
      [
        [1, tinyModelVocabulary.length],
        [1, tinyModelDimensions],
        [2, floatType],
        [8, 'embeddings'],
        [9, new Uint8Array(tinyModelEmbeddings.buffer.slice(0))],
      ],
    ],
    [5, int64Tensor('axis_1', [1n])],
    [5, int64Tensor('axis_2', [2n])],
    [11, tensorValueInfo('input_ids', int64Type, ['batch_size', 'sequence_length'])],
    [11, tensorValueInfo('token_type_ids', int64Type, ['batch_size', 'sequence_length'])],
    [12, tensorValueInfo('logits', floatType, ['batch_size', 1])],
  ];
  return encode([
    [1, 8], // ir_version
    [2, 'agenticgen-tests'],
    [7, graph],
    [8, [[2, 13]]], // opset 13
  ]);
}

/** The logit the model gives a (query words, passage words) pair. */
export function expectedCrossEncoderLogit(query: readonly string[], passage: readonly string[]): number {
  const sum = (words: readonly string[]) => {
    const total = new Float32Array(tinyModelDimensions);
    for (const word of words) {
      const found = tinyModelVocabulary.indexOf(word);
      const row = found >= 0 ? found : tinyModelVocabulary.indexOf('[UNK]');
      for (let d = 0; d < tinyModelDimensions; d++) total[d]! += tinyModelEmbeddings[row * tinyModelDimensions + d]!;
    }
    return total;
  };
  const left = sum(query);
  const right = sum(passage);
  return left.reduce((dot, value, d) => dot + value * right[d]!, 0);
}

/** The files of the cross-encoder model directory, by path relative to it. */
export function tinyCrossEncoderModelFiles(): Record<string, Uint8Array<ArrayBuffer>> {
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));
  const base = tinyTransformersModelFiles();
  const tokenizer = JSON.parse(new TextDecoder().decode(base['tokenizer.json'])) as Record<string, unknown>;
  const vocab = (tokenizer.model as { vocab: Record<string, number> }).vocab;
  tokenizer.post_processor = { type: 'BertProcessing', sep: ['[SEP]', vocab['[SEP]']], cls: ['[CLS]', vocab['[CLS]']] };
  return {
    'config.json': text({
      model_type: 'bert',
      architectures: ['BertForSequenceClassification'],
      hidden_size: tinyModelDimensions,
      vocab_size: tinyModelVocabulary.length,
      num_labels: 1,
      id2label: { 0: 'LABEL_0' },
      label2id: { LABEL_0: 0 },
    }),
    'tokenizer.json': text(tokenizer),
    'tokenizer_config.json': base['tokenizer_config.json'] as Uint8Array<ArrayBuffer>,
    'onnx/model.onnx': crossEncoderGraph(),
  };
}
