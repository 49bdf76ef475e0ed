// Chat: streamed answers over the WebSocket, tool calls and cited sources inline.
import { createRunView } from './run-view.js';
import { $, state } from './shared.js';

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
$('#chat-stop').addEventListener('click', () => {
  for (const pending of state.pending.values()) {
    if (pending.runId) state.socket.send(JSON.stringify({ type: 'cancel', runId: pending.runId }));
  }
});

/** The model's label for the figures line under an answer. */
export const modelLabel = () =>
  state.info?.model.offlineDemo ? 'offline demo model' : (state.info?.model.label ?? '');

/**
 * Sends a run request over the WebSocket and streams its events into `view`; resolves when the run ends.
 * `message` is a gateway message without its `requestId` (`chat` or `agent-run`).
 */
export function streamOverGateway(message, view) {
  const requestId = crypto.randomUUID().slice(0, 12);
  const pending = { runId: null, onEvent: (event) => view.onEvent(event), fail: (reason) => view.fail(reason) };
  view.onStart = (runId) => {
    pending.runId = runId;
  };
  const ended = new Promise((resolve) => {
    view.onEnd = () => {
      state.pending.delete(requestId);
      $('#chat-stop').disabled = state.pending.size === 0;
      resolve();
    };
  });
  state.pending.set(requestId, pending);
  $('#chat-stop').disabled = false;
  state.socket.send(JSON.stringify({ ...message, requestId }));
  return ended;
}

function sendChat() {
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text) return;
  if (!state.socketReady) return appendMessage('error', 'Not connected to the gateway yet; try again in a moment.');
  input.value = '';
  appendMessage('user', text);
  state.history.push({ role: 'user', content: text });
  const view = createRunView({ modelLabel });
  $('#chat-log').append(view.element);
  const turns = state.history.slice(-20);
  const original = view.onEvent;
  view.onEvent = (event) => {
    original(event);
    $('#chat-log').scrollTop = $('#chat-log').scrollHeight;
  };
  void streamOverGateway({ type: 'chat', messages: turns }, view).then(() => {
    if (view.element.dataset.state === 'done') state.history.push({ role: 'assistant', content: view.text });
  });
}

function appendMessage(role, text) {
  const element = document.createElement('div');
  element.className = `message ${role}`;
  element.textContent = text;
  $('#chat-log').append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}
