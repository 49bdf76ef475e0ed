/**
 * A tool call's `input` is the parsed arguments object, or the raw text when the model's arguments were not
 * valid JSON (the agent answered that call with a `tool-invalid-arguments` error). When history goes back to
 * the provider, the model must see its own call as it made it — never re-encoded or silently emptied.
 */

/** For wire formats that carry arguments as JSON text (OpenAI Chat Completions and Responses). */
export function toolInputAsArgumentsText(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? {});
}

/**
 * For wire formats that require an object (Anthropic `tool_use.input`, Gemini `functionCall.args`): raw text
 * that did not parse is wrapped, so the request stays valid and the model still sees what it wrote.
 */
export function toolInputAsObject(input: unknown): Record<string, unknown> {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return input as Record<string, unknown>;
  if (input === undefined || input === null) return {};
  return { invalid_json_arguments: typeof input === 'string' ? input : JSON.stringify(input) };
}
