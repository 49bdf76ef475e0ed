import { type ChatResponse, ChatStreamFolder, type ChatStreamPart, partsFromResponse } from '@agenticgen/core';

/**
 * @deprecated Use `ChatStreamFolder` (or `collectStream`) from `@agenticgen/core`; this alias goes away in the
 * next minor release. Kept so code that folded streams with the adapters' copy keeps working.
 */
export class StreamCollector extends ChatStreamFolder {
  constructor(fallbackModelId: string) {
    super({ modelId: fallbackModelId });
  }
}

/**
 * @deprecated Use `partsFromResponse` (or `streamFromResponse`) from `@agenticgen/core`; this alias goes away in
 * the next minor release.
 */
export function* responseToParts(response: ChatResponse): Generator<ChatStreamPart> {
  yield* partsFromResponse(response);
}
