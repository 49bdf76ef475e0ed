// Chat: the AI SDK UI message stream protocol through core's framework-free client (`createChatClient`), on
// `/api/ui/chat`. The server keeps the thread: a reload shows it again and reconnects to an answer still being
// written; a tool approval is answered here and resumed by whichever server instance gets the request.
import { createChatClient } from '/vendor/agenticgen/ui.js';
import { renderMarkdown, renderSources, resolveCitations } from './citations.js';
import { answerElement } from './run-view.js';
import { $, api, escapeHtml, state } from './shared.js';

const chatIdKey = 'agenticgen-chat-id';
/** The chat client of the open chat (null before sign-in). */
let client = null;
let unsubscribe = () => {};
/** Rendered messages by id, with what they were rendered from (unchanged ones are not redrawn). */
const rendered = new Map();

/** The model's label for the figures line under an answer. */
export const modelLabel = () =>
  state.info?.model.offlineDemo ? 'offline demo model' : (state.info?.model.label ?? '');

$('#chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});
$('#chat-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    send();
  }
});
$('#chat-stop').addEventListener('click', () => void client?.stop());
$('#chat-new').addEventListener('click', async () => {
  const previous = client?.chatId;
  localStorage.setItem(chatIdKey, newChatId());
  open(currentChatId(), []);
  // The old thread is deleted on the server (its answer stopped); the page does not wait for it.
  if (previous !== undefined) await api(`/api/ui/chat/${previous}`, { method: 'DELETE' }).catch(() => undefined);
});

/** Opens the chat kept by the server (after sign-in): its thread, then the answer still running, if any. */
export async function startChat() {
  const chatId = currentChatId();
  const { messages } = await api(`/api/ui/chat/${chatId}/messages`);
  open(chatId, messages);
  // For tests and scripts: the server's thread is on screen.
  $('#chat-log').dataset.thread = 'loaded';
  await client.resume();
}

function send() {
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text || client === null) return;
  input.value = '';
  void client.send(text);
}

function open(chatId, messages) {
  unsubscribe();
  client = createChatClient({ chatId, messages, headers: { authorization: `Bearer ${state.token}` } });
  rendered.clear();
  $('#chat-log').replaceChildren();
  unsubscribe = client.subscribe(render);
  render(client.getState());
}

function currentChatId() {
  const stored = localStorage.getItem(chatIdKey);
  if (stored !== null && /^[a-zA-Z0-9_-]{1,100}$/.test(stored)) return stored;
  const id = newChatId();
  localStorage.setItem(chatIdKey, id);
  return id;
}

const newChatId = () => crypto.randomUUID();

/** Draws the messages that changed since the last state, in order, and the chat's error when there is one. */
function render(chatState) {
  const log = $('#chat-log');
  const busy = chatState.status === 'submitted' || chatState.status === 'streaming';
  $('#chat-stop').disabled = !busy;
  const keep = new Set();
  let previous = null;
  chatState.messages.forEach((message, index) => {
    const last = index === chatState.messages.length - 1;
    const phase = !last ? 'done' : busy ? 'streaming' : chatState.status === 'error' ? 'failed' : 'done';
    const signature = `${phase}:${JSON.stringify(message)}`;
    let entry = rendered.get(message.id);
    if (entry === undefined || entry.signature !== signature) {
      const element = message.role === 'user' ? renderUser(message) : renderAnswer(message, phase, chatState.error);
      entry?.element.replaceWith(element);
      entry = { element, signature };
      rendered.set(message.id, entry);
    }
    if (entry.element.previousElementSibling !== previous || entry.element.parentNode !== log) {
      if (previous === null) log.prepend(entry.element);
      else previous.after(entry.element);
    }
    previous = entry.element;
    keep.add(message.id);
  });
  for (const [id, entry] of rendered) {
    if (keep.has(id)) continue;
    entry.element.remove();
    rendered.delete(id);
  }
  log.querySelector(':scope > .request-error')?.remove();
  // A request refused before any answer began: the error stands on its own under the question.
  if (chatState.status === 'error' && chatState.messages.at(-1)?.role !== 'assistant') {
    const element = document.createElement('div');
    element.className = 'message error request-error';
    element.textContent = chatState.error ?? 'the request failed';
    log.append(element);
  }
  log.scrollTop = log.scrollHeight;
}

function renderUser(message) {
  const element = document.createElement('div');
  element.className = 'message user';
  element.textContent = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return element;
}

/** An answer: its tool calls (with approval buttons while one waits), the text with citations, sources, figures. */
function renderAnswer(message, phase, error) {
  const { element, tools, body, sourceList, meta } = answerElement(phase);

  const passages = [];
  let text = '';
  let steps = 0;
  for (const part of message.parts) {
    if (part.type === 'step-start') steps += 1;
    else if (part.type === 'text') text += part.text;
    else if (part.type.startsWith('tool-')) {
      tools.append(renderTool(part));
      if (part.type === 'tool-search_knowledge' && part.state === 'output-available')
        passages.push(...(part.output?.results ?? []));
    }
  }
  const resolved = resolveCitations(text, passages);
  // Only a finished answer lists its sources: a [1] seen before the answer's own list may be renumbered.
  const sources = phase === 'streaming' ? [] : resolved.sources;
  renderSources(sourceList, sources);
  body.innerHTML = renderMarkdown(resolved.body, sources);
  if (phase === 'failed') meta.textContent = error ?? 'the answer failed';
  else if (phase === 'streaming') meta.textContent = 'thinking…';
  else {
    const usage = message.metadata?.usage;
    meta.textContent = [modelLabel(), `${steps} step(s)`, usage ? `${usage.totalTokens} tokens` : '']
      .filter(Boolean)
      .join(' · ');
  }
  return element;
}

const toolStates = {
  'input-streaming': 'running…',
  'input-available': 'running…',
  'approval-requested': 'waiting for approval',
  'approval-responded': 'answered',
  'output-available': 'done',
  'output-error': 'failed',
  'output-denied': 'denied',
};

function renderTool(part) {
  const name = part.type.slice('tool-'.length);
  const details = document.createElement('details');
  details.className = 'tool';
  details.dataset.tool = name;
  details.dataset.state = part.state;
  details.classList.toggle('failed', part.state === 'output-error' || part.state === 'output-denied');
  details.innerHTML = `<summary>Tool <strong>${escapeHtml(name)}</strong> <span class="state">${escapeHtml(
    toolStates[part.state] ?? part.state,
  )}</span></summary><pre>${escapeHtml(JSON.stringify(part.input ?? part.rawInput ?? null, null, 2))}</pre>`;
  if (part.state === 'output-available' || part.state === 'output-error') {
    const pre = document.createElement('pre');
    pre.textContent = part.state === 'output-error' ? part.errorText : JSON.stringify(part.output, null, 2);
    details.append(pre);
  }
  if (part.state === 'approval-requested' && part.approval !== undefined) {
    details.open = true;
    const actions = document.createElement('div');
    actions.className = 'approval';
    for (const [label, approved] of [
      ['Approve', true],
      ['Deny', false],
    ]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = approved ? 'approve' : 'deny secondary';
      button.textContent = label;
      button.addEventListener('click', () => void client?.approve(part.approval.id, approved));
      actions.append(button);
    }
    details.append(actions);
  }
  return details;
}
