import type { Validator } from '@agenticgen/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { clip, mcpError } from '../errors.js';

/** One piece of a tool result as the model receives it. */
export type McpContentPart =
  | { type: 'text'; text: string }
  /** Images and audio as `data:` URLs, the form core's `ImagePart` and the adapters accept. */
  | { type: 'image'; image: string; mediaType: string }
  | { type: 'audio'; audio: string; mediaType: string }
  /** An embedded resource: its text, or its bytes as a `data:` URL. */
  | { type: 'resource'; uri: string; mediaType?: string; text?: string; data?: string }
  | { type: 'resource-link'; uri: string; name: string; mediaType?: string; description?: string };

/**
 * What an MCP tool returns to the model: the plain text when the result is only text, otherwise the parts
 * plus the validated `structuredContent`.
 */
export type McpToolOutput = string | { content: McpContentPart[]; structuredContent?: unknown };

/**
 * Maps a `tools/call` result onto model content. `isError` results become `mcp-tool-error` (the model reads
 * their text), `structuredContent` must pass the tool's `outputSchema` (`mcp-invalid-result` otherwise), and
 * the whole content is bounded by `maxResultCharacters` (`mcp-limit-exceeded`).
 */
export function toToolOutput(
  toolName: string,
  result: CallToolResult,
  outputValidator: Validator<unknown> | undefined,
  maxResultChars: number,
): McpToolOutput {
  // The common answer, one text part and nothing else, maps to its text without building parts.
  const only = result.content?.length === 1 ? result.content[0] : undefined;
  if (
    only?.type === 'text' &&
    only.text.length <= maxResultChars &&
    result.isError !== true &&
    result.structuredContent === undefined &&
    outputValidator === undefined
  ) {
    return only.text;
  }
  const parts = (result.content ?? []).map(toPart);
  const size = parts.reduce((total, part) => total + partSize(part), 0);
  if (size > maxResultChars) {
    throw mcpError(
      'mcp-limit-exceeded',
      `tool "${toolName}" returned ${size} characters of content, more than maxResultCharacters (${maxResultChars})`,
      { data: { size, limit: maxResultChars } },
    );
  }
  if (result.isError === true) {
    const text = parts.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
    throw mcpError('mcp-tool-error', `tool "${toolName}" reported an error: ${clip(text, 4_000)}`, {
      data: { tool: toolName },
    });
  }
  if (outputValidator !== undefined) {
    if (result.structuredContent === undefined) {
      throw mcpError('mcp-invalid-result', `tool "${toolName}" has an outputSchema but returned no structuredContent`);
    }
    const checked = outputValidator.validate(result.structuredContent);
    if (!checked.ok) {
      throw mcpError(
        'mcp-invalid-result',
        `tool "${toolName}" returned structuredContent that fails its outputSchema`,
        {
          data: { tool: toolName, issues: checked.issues.slice(0, 5) },
        },
      );
    }
  }
  const onlyText = parts.every((part) => part.type === 'text');
  if (onlyText && result.structuredContent === undefined) {
    return parts.map((part) => (part as { text: string }).text).join('\n');
  }
  return result.structuredContent === undefined
    ? { content: parts }
    : { content: parts, structuredContent: result.structuredContent };
}

function toPart(item: CallToolResult['content'][number]): McpContentPart {
  switch (item.type) {
    case 'text':
      return { type: 'text', text: item.text };
    case 'image':
      return { type: 'image', image: `data:${item.mimeType};base64,${item.data}`, mediaType: item.mimeType };
    case 'audio':
      return { type: 'audio', audio: `data:${item.mimeType};base64,${item.data}`, mediaType: item.mimeType };
    case 'resource': {
      const resource = item.resource;
      const part: McpContentPart = { type: 'resource', uri: resource.uri };
      if (resource.mimeType !== undefined) part.mediaType = resource.mimeType;
      if ('text' in resource && typeof resource.text === 'string') part.text = resource.text;
      if ('blob' in resource && typeof resource.blob === 'string') {
        part.data = `data:${resource.mimeType ?? 'application/octet-stream'};base64,${resource.blob}`;
      }
      return part;
    }
    case 'resource_link': {
      const part: McpContentPart = { type: 'resource-link', uri: item.uri, name: item.name };
      if (item.mimeType !== undefined) part.mediaType = item.mimeType;
      if (item.description !== undefined) part.description = item.description;
      return part;
    }
    default:
      return { type: 'text', text: `[unsupported content type ${clip(String((item as { type: unknown }).type))}]` };
  }
}

function partSize(part: McpContentPart): number {
  switch (part.type) {
    case 'text':
      return part.text.length;
    case 'image':
      return part.image.length;
    case 'audio':
      return part.audio.length;
    case 'resource':
      return (part.text?.length ?? 0) + (part.data?.length ?? 0);
    default:
      return part.uri.length;
  }
}
