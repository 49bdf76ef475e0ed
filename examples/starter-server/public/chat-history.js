// The chat thread kept in this browser (localStorage), so a reload does not lose the conversation. The server
// has no thread store yet; when it gets one, this is the place to swap.
const storageKey = 'agenticgen-chat';

/** Bounds of the stored thread: the oldest messages go first. */
export const historyLimits = { messages: 100, characters: 200_000 };

/**
 * The stored thread: `{ role: 'user', content }` and `{ role: 'assistant', content, answer }` entries, where
 * `answer` is the view's snapshot (text, cited sources, tool calls, figures).
 */
export function loadThread() {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey) ?? 'null');
    if (stored?.version !== 1 || !Array.isArray(stored.messages)) return [];
    return bounded(stored.messages.filter((entry) => typeof entry?.content === 'string'));
  } catch {
    return [];
  }
}

export function saveThread(messages) {
  const kept = bounded(messages);
  try {
    localStorage.setItem(storageKey, JSON.stringify({ version: 1, messages: kept }));
  } catch (error) {
    // Storage full or disabled: the conversation still works, it just will not survive a reload.
    console.warn('chat history not saved', error);
  }
  return kept;
}

export function clearThread() {
  localStorage.removeItem(storageKey);
}

function bounded(messages) {
  let kept = messages.slice(-historyLimits.messages);
  while (kept.length > 1 && JSON.stringify(kept).length > historyLimits.characters) kept = kept.slice(1);
  return kept;
}
