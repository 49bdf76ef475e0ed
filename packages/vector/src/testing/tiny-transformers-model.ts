/**
 * A tiny but real transformers.js model directory, generated in code because tests have no internet and
 * cannot download one: a WordPiece tokenizer (tokenizer.json), a BERT config, and an ONNX graph
 * (onnx/model.onnx) whose single `Gather` node looks each token up in an embedding table. transformers.js runs
 * it like any sentence-transformers model: tokenise, run the ONNX session, mean-pool, normalise.
 *
 * The table gives every word a topic direction (animals, money, weather) plus a small identity component, so
 * texts about one topic embed close together, and the expected vector of any text can be computed here too.
 */

const topics: Record<string, readonly string[]> = {
  animals: ['cat', 'dog', 'kitten', 'puppy', 'pets', 'barks'],
  money: ['bank', 'loan', 'credit', 'money', 'interest', 'approved'],
  weather: ['rain', 'sunny', 'storm', 'cloud', 'forecast', 'wind'],
};
const fillerWords = ['the', 'a', 'and', 'is', 'of', 'chased'];
const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** Width of the token vectors (the embedder's `dimensions`). */
export const tinyModelDimensions = 8;

/** Token ids in vocabulary order. */
export const tinyModelVocabulary: readonly string[] = [
  ...specialTokens,
  ...Object.values(topics).flat(),
  ...fillerWords,
];

/** The embedding table, row-major `[vocabulary, dimensions]`. */
export const tinyModelEmbeddings: Float32Array = (() => {
  const table = new Float32Array(tinyModelVocabulary.length * tinyModelDimensions);
  const topicNames = Object.keys(topics);
  tinyModelVocabulary.forEach((token, id) => {
    const row = table.subarray(id * tinyModelDimensions, (id + 1) * tinyModelDimensions);
    const topic = topicNames.findIndex((name) => topics[name]!.includes(token));
    if (topic >= 0) {
      row[topic] = 1;
      // A word's own direction, small next to its topic's: synonyms stay close, but not identical.
      row[3 + (id % 4)] = 0.25;
    } else if (token === '[UNK]') {
      row[7] = 1;
    } else if (fillerWords.includes(token)) {
      row[7] = 0.1;
    }
  });
  return table;
})();

/** The mean-pooled, L2-normalised vector the model must produce for these words (mean then normalise = sum / |sum|). */
export function expectedTinyEmbedding(words: readonly string[]): Float32Array {
  const sum = new Float32Array(tinyModelDimensions);
  for (const word of words) {
    const id = tinyModelVocabulary.indexOf(word);
    const row = id >= 0 ? id : tinyModelVocabulary.indexOf('[UNK]');
    for (let d = 0; d < tinyModelDimensions; d++) sum[d]! += tinyModelEmbeddings[row * tinyModelDimensions + d]!;
  }
  let norm = 0;
  for (const value of sum) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return sum.map((value) => value / norm);
}

/** The files of the model directory, by path relative to it. */
export function tinyTransformersModelFiles(): Record<string, Uint8Array<ArrayBuffer>> {
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));
  const vocab = Object.fromEntries(tinyModelVocabulary.map((token, id) => [token, id]));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content) => ({
      id: vocab[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  return {
    'config.json': text({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: tinyModelDimensions,
      vocab_size: tinyModelVocabulary.length,
    }),
    'tokenizer.json': text(tokenizer),
    'tokenizer_config.json': text({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      mask_token: '[MASK]',
    }),
    'onnx/model.onnx': gatherModel(),
  };
}

// --- A minimal protobuf writer for the ONNX ModelProto (field numbers from onnx.proto). ---

export type Field = [field: number, value: number | string | Uint8Array | Field[]];

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

export function encode(fields: Field[]): Uint8Array<ArrayBuffer> {
  const parts: number[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      parts.push(...varint(field * 8), ...varint(value));
      continue;
    }
    const bytes =
      typeof value === 'string' ? new TextEncoder().encode(value) : value instanceof Uint8Array ? value : encode(value);
    parts.push(...varint(field * 8 + 2), ...varint(bytes.length), ...bytes);
  }
  return Uint8Array.from(parts);
}

const floatType = 1;
const int64Type = 7;

export function tensorValueInfo(name: string, elementType: number, dims: (string | number)[]): Field[] {
  const shape: Field[] = dims.map((dim) => [1, typeof dim === 'number' ? [[1, dim]] : [[2, dim]]]);
  return [
    [1, name],
    [
      2,
      [
        [
          1,
          [
            [1, elementType],
            [2, shape],
          ],
        ],
      ],
    ],
  ];
}

function gatherModel(): Uint8Array<ArrayBuffer> {
  const graph: Field[] = [
    [
      1,
      [
        [1, 'embeddings'],
        [1, 'input_ids'],
        [2, 'last_hidden_state'],
        [3, 'token_embeddings'],
        [4, 'Gather'],
      ],
    ],
    [2, 'tiny-gather-encoder'],
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
    [11, tensorValueInfo('input_ids', int64Type, ['batch_size', 'sequence_length'])],
    [12, tensorValueInfo('last_hidden_state', floatType, ['batch_size', 'sequence_length', tinyModelDimensions])],
  ];
  return encode([
    [1, 8], // ir_version
    [2, 'agenticgen-tests'], // producer_name
    [7, graph],
    [8, [[2, 13]]], // opset_import: the default domain at version 13
  ]);
}
