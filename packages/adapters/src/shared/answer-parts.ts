import type { ChatResponse, ReasoningPart, ToolCallPart } from '@agenticgen/core';

/** What a provider's answer adds to its parts: why it stopped, usage, model id, metadata. */
export type AnswerDetails = Omit<ChatResponse, 'text' | 'content' | 'toolCalls'>;

/**
 * Collects a non-streamed answer's parts in the order the provider gave them: `content` holds every part,
 * `text` the concatenated text parts and `toolCalls` the calls, as the ChatResponse contract says.
 */
export class AnswerParts {
  private text = '';
  private readonly content: ChatResponse['content'] = [];
  private readonly toolCalls: ToolCallPart[] = [];

  get hasToolCalls(): boolean {
    return this.toolCalls.length > 0;
  }

  get toolCallCount(): number {
    return this.toolCalls.length;
  }

  addText(text: string): void {
    this.text += text;
    this.content.push({ type: 'text', text });
  }

  addReasoning(part: ReasoningPart): void {
    this.content.push(part);
  }

  addToolCall(toolCallId: string, toolName: string, input: unknown): void {
    const call: ToolCallPart = { type: 'tool-call', toolCallId, toolName, input };
    this.toolCalls.push(call);
    this.content.push(call);
  }

  answer(details: AnswerDetails): ChatResponse {
    return { text: this.text, content: this.content, toolCalls: this.toolCalls, ...details };
  }
}
