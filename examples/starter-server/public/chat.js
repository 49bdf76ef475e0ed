// Chat: streamed answers over the WebSocket, tool calls and citations inline.
import { $, escapeHtml, state } from './shared.js';

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

function sendChat() {
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text) return;
  if (!state.socketReady) return appendMessage('error', 'Not connected to the gateway yet; try again in a moment.');
  input.value = '';
  appendMessage('user', text);
  state.history.push({ role: 'user', content: text });
  const view = createAssistantView();
  const requestId = crypto.randomUUID().slice(0, 12);
  const pending = { runId: null, onEvent: (event) => view.onEvent(event), fail: (reason) => view.fail(reason) };
  view.finished = () => {
    state.pending.delete(requestId);
    $('#chat-stop').disabled = state.pending.size === 0;
  };
  view.started = (runId) => {
    pending.runId = runId;
  };
  state.pending.set(requestId, pending);
  $('#chat-stop').disabled = false;
  state.socket.send(JSON.stringify({ type: 'chat', requestId, messages: state.history.slice(-20) }));
}

function appendMessage(role, text) {
  const element = document.createElement('div');
  element.className = `message ${role}`;
  element.textContent = text;
  $('#chat-log').append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}

function createAssistantView() {
  const element = document.createElement('div');
  element.className = 'message assistant';
  element.dataset.state = 'streaming';
  const tools = document.createElement('div');
  const body = document.createElement('div');
  body.className = 'answer';
  const sources = document.createElement('ol');
  sources.className = 'sources';
  sources.hidden = true;
  const meta = document.createElement('div');
  meta.className = 'meta';
  element.append(tools, body, sources, meta);
  $('#chat-log').append(element);
  let text = '';
  let passages = [];
  const toolViews = new Map();
  const view = {
    finished: () => {},
    started: () => {},
    onEvent(event) {
      switch (event.type) {
        case 'run-start':
          view.started(event.runId);
          meta.textContent = 'thinking…';
          break;
        case 'text-delta':
          text += event.delta;
          body.innerHTML = renderMarkdown(text, passages);
          break;
        case 'tool-call': {
          const details = document.createElement('details');
          details.className = 'tool';
          details.dataset.tool = event.toolName;
          details.innerHTML = `<summary>Tool <strong>${escapeHtml(event.toolName)}</strong> <span class="state">running…</span></summary><pre>${escapeHtml(
            JSON.stringify(event.input, null, 2),
          )}</pre>`;
          tools.append(details);
          toolViews.set(event.toolCallId, details);
          break;
        }
        case 'tool-result': {
          const details = toolViews.get(event.toolCallId);
          if (details) {
            details.querySelector('.state').textContent = event.isError
              ? `failed (${Math.round(event.durationMs)} ms)`
              : `done (${Math.round(event.durationMs)} ms)`;
            details.classList.toggle('failed', Boolean(event.isError));
            const output = document.createElement('pre');
            output.textContent = JSON.stringify(event.output, null, 2);
            details.append(output);
          }
          if (event.toolName === 'search_knowledge' && !event.isError) {
            passages = event.output?.results ?? [];
            renderSources(sources, passages);
          }
          break;
        }
        case 'run-finish': {
          element.dataset.state = 'done';
          const result = event.result || {};
          const usage = result.usage;
          meta.textContent = `${state.info?.model.offlineDemo ? 'offline demo model' : (state.info?.model.label ?? '')} · ${
            result.steps ?? '?'
          } step(s)${usage ? ` · ${usage.totalTokens} tokens` : ''} · ${Math.round(event.durationMs)} ms`;
          state.history.push({ role: 'assistant', content: text });
          view.finished();
          break;
        }
        case 'run-error':
          view.fail(`${event.error.code}: ${event.error.message}`);
          break;
        default:
          break;
      }
      $('#chat-log').scrollTop = $('#chat-log').scrollHeight;
    },
    fail(reason) {
      element.dataset.state = 'failed';
      element.classList.add('error');
      meta.textContent = reason;
      view.finished();
    },
  };
  return view;
}

function renderSources(list, passages) {
  list.hidden = passages.length === 0;
  list.replaceChildren(
    ...passages.map((passage, index) => {
      const item = document.createElement('li');
      item.className = 'source';
      item.innerHTML = `<span class="cite">[${index + 1}]</span> ${escapeHtml(passage.source)} (passage ${
        passage.chunk + 1
      }) <span class="score">score ${Number(passage.score).toFixed(2)}</span>`;
      item.title = passage.text;
      return item;
    }),
  );
}

/** Escaped text with fenced code, block quotes, paragraphs and [n] citations. */
function renderMarkdown(text, passages) {
  // The sources list below the answer shows the citations with scores; drop the answer's plain-text copy.
  const shown = passages.length > 0 ? text.replace(/\n+Sources:\n(?:\[\d+\][^\n]*(?:\n|$))+$/, '') : text;
  const blocks = shown.split(/```[a-z]*\n?/i);
  return blocks
    .map((block, index) => {
      if (index % 2 === 1) return `<pre>${escapeHtml(block.replace(/\n$/, ''))}</pre>`;
      return block
        .split(/\n{2,}/)
        .filter((paragraph) => paragraph.trim() !== '')
        .map((paragraph) => {
          const quote = paragraph.startsWith('> ');
          const html = escapeHtml(quote ? paragraph.replace(/^> /gm, '') : paragraph)
            .replace(/\n/g, '<br>')
            .replace(/\[(\d+)\]/g, (match, number) => {
              const passage = passages[Number(number) - 1];
              return `<span class="cite" title="${escapeHtml(passage ? passage.source : '')}">${match}</span>`;
            });
          return quote ? `<blockquote>${html}</blockquote>` : `<p>${html}</p>`;
        })
        .join('');
    })
    .join('');
}
