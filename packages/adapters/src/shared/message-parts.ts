import type { ChatMessage, ImagePart, TextPart } from '@agenticgen/core';
import { type ResolvedImage, resolveImage } from './content.js';

/** How one provider writes the parts of a user message. */
export interface UserPartWriter<Part> {
  text(text: string): Part;
  /** `part` is the caller's own, for what the resolved image drops (a URL image's declared media type). */
  image(image: ResolvedImage, part: ImagePart): Part;
}

/**
 * A user message's parts in a provider's shape (plain text is one text part); every image is resolved, and
 * refused when malformed, here.
 */
export function userParts<Part>(
  content: string | ReadonlyArray<TextPart | ImagePart>,
  scope: string,
  write: UserPartWriter<Part>,
): Part[] {
  if (typeof content === 'string') return [write.text(content)];
  return content.map((part) =>
    part.type === 'text' ? write.text(part.text) : write.image(resolveImage(part, scope), part),
  );
}

/**
 * A conversation's turns with consecutive turns of one role merged into one, as Anthropic and Gemini want them
 * (tool results travel in user turns there, so a tool turn followed by a user turn becomes one turn).
 */
export class MergedTurns<Role extends string, Item> {
  readonly turns: Array<{ role: Role; items: Item[] }> = [];

  /** @param skipEmpty drop a turn with no items instead of sending it (Gemini refuses empty turns). */
  constructor(private readonly skipEmpty: boolean) {}

  push(role: Role, items: Item[]): void {
    if (this.skipEmpty && items.length === 0) return;
    const last = this.turns.at(-1);
    if (last !== undefined && last.role === role) last.items.push(...items);
    else this.turns.push({ role, items });
  }
}

type AssistantContent = Exclude<Extract<ChatMessage, { role: 'assistant' }>['content'], string>;
type ToolResults = Extract<ChatMessage, { role: 'tool' }>['content'];

/** How a provider whose conversation alternates user and assistant turns (Anthropic, Gemini) writes each message. */
export interface TurnWriter<AssistantRole extends string, Item> {
  /** The provider's name for the assistant's role (`assistant`, Gemini's `model`). */
  assistantRole: AssistantRole;
  /** Drop a turn with no items instead of sending it (Gemini refuses empty turns). */
  skipEmptyTurns: boolean;
  /** User parts; its `text` also writes an assistant message given as plain text. */
  user: UserPartWriter<Item>;
  assistant(content: AssistantContent): Item[];
  /** Tool results, which travel in a user turn. */
  toolResults(results: ToolResults): Item[];
}

/** A conversation split into system texts and alternating turns. */
export interface AlternatingConversation<AssistantRole extends string, Item> {
  system: string[];
  turns: Array<{ role: 'user' | AssistantRole; items: Item[] }>;
}

/** Splits a conversation into system texts and alternating turns, each message written by the provider's writer. */
export function toAlternatingTurns<AssistantRole extends string, Item>(
  messages: readonly ChatMessage[],
  scope: string,
  write: TurnWriter<AssistantRole, Item>,
): AlternatingConversation<AssistantRole, Item> {
  const system: string[] = [];
  const turns = new MergedTurns<'user' | AssistantRole, Item>(write.skipEmptyTurns);
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        turns.push('user', userParts(message.content, scope, write.user));
        break;
      case 'assistant':
        turns.push(
          write.assistantRole,
          typeof message.content === 'string' ? [write.user.text(message.content)] : write.assistant(message.content),
        );
        break;
      case 'tool':
        turns.push('user', write.toolResults(message.content));
        break;
    }
  }
  return { system, turns: turns.turns };
}
