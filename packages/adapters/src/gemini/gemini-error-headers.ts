import type { GenerateContentParameters } from '@google/genai';

/**
 * `@google/genai`'s `ApiError` keeps only the status and the body, so a `Retry-After` header would be lost.
 * Each attempt therefore sends its request through a fetch that remembers the headers of a failed response,
 * and the error gets them back (`headers`, the shape `toProviderError` reads for every SDK). Only for clients
 * the adapter creates: a per-request fetch would replace the one a caller configured on their own client.
 */
export function recordErrorHeaders(
  parameters: GenerateContentParameters,
  baseFetch: typeof fetch | undefined,
): { parameters: GenerateContentParameters; withHeaders: (error: unknown) => unknown } {
  let headers: Headers | undefined;
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await (baseFetch ?? fetch)(input, init);
    if (!response.ok) headers = response.headers;
    return response;
  };
  const config = parameters.config ?? {};
  return {
    parameters: { ...parameters, config: { ...config, httpOptions: { ...config.httpOptions, fetch: recordingFetch } } },
    withHeaders: (error) => {
      if (headers !== undefined && typeof error === 'object' && error !== null && !('headers' in error)) {
        Object.assign(error, { headers });
      }
      return error;
    },
  };
}
