export {
  type CrossEncoderRankerOptions,
  type CrossEncoderTransformersModule,
  createCrossEncoderRanker,
} from './cross-encoder-ranker.js';
