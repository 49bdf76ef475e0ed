// Chat: streamed answers over the WebSocket, tool calls and cited sources inline.
import { clearThread, historyLimits, loadThread, saveThread } from './chat-history.js';
import { createRunView, renderStoredAnswer } from './run-view.js';
import { $, state, streamOverGateway, trimChildren } from './shared.js';

$('#chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sendChat();
});
$('#chat-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    sendChat();
  }
});
$('#chat-new').addEventListener('click', () => {
  state.history = [];
  clearThread();
  $('#chat-log').replaceChildren();
});
$('#chat-stop').addEventListener('click', () => {
  for (const run of running) run.cancel();
});

/** The model's label for the figures line under an answer. */
export const modelLabel = () =>
  state.info?.model.offlineDemo ? 'offline demo model' : (state.info?.model.label ?? '');

/** Chat runs in flight, for the Stop button. */
const running = new Set();

function sendChat() {
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text) return;
  if (!state.socketReady) return appendMessage('error', 'Not connected to the gateway yet; try again in a moment.');
  input.value = '';
  appendMessage('user', text);
  state.history = saveThread([...state.history, { role: 'user', content: text }]);
  // Failed answers stay on screen but are not sent back to the model as turns.
  const turns = state.history
    .filter((entry) => !entry.answer?.failed)
    .map(({ role, content }) => ({ role, content }))
    .slice(-20);
  const view = createRunView({ modelLabel });
  $('#chat-log').append(view.element);
  const original = view.onEvent;
  view.onEvent = (event) => {
    original(event);
    $('#chat-log').scrollTop = $('#chat-log').scrollHeight;
  };
  const run = streamOverGateway({ type: 'chat', messages: turns }, view);
  running.add(run);
  $('#chat-stop').disabled = false;
  void run.ended.then(() => {
    running.delete(run);
    $('#chat-stop').disabled = running.size === 0;
    const entry = { role: 'assistant', content: view.text, answer: view.snapshot() };
    state.history = saveThread([...state.history, entry]);
  });
  trimChildren($('#chat-log'), historyLimits.messages);
}

/** Shows the thread kept in this browser (on load). */
function restoreThread() {
  state.history = loadThread();
  $('#chat-log').replaceChildren(
    ...state.history.map((entry) => {
      if (entry.role === 'assistant' && entry.answer !== undefined) return renderStoredAnswer(entry.answer);
      const element = document.createElement('div');
      element.className = `message ${entry.role === 'user' ? 'user' : 'assistant'}`;
      element.textContent = entry.content;
      return element;
    }),
  );
  $('#chat-log').scrollTop = $('#chat-log').scrollHeight;
}
restoreThread();

function appendMessage(role, text) {
  const element = document.createElement('div');
  element.className = `message ${role}`;
  element.textContent = text;
  $('#chat-log').append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}
