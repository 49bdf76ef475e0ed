import type { ImagePart, TextPart } from '@agenticgen/core';
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
