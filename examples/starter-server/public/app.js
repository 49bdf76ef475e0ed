// The starter UI: plain ES modules, no build step. Talks to the HTTP API (bearer token) and the WebSocket
// gateway (`/ws`, authenticated with an `auth` message so the token never appears in a URL).
import { drawLineChart } from './charts.js';

const $ = (selector) => document.querySelector(selector);
const state = {
  token: '',
  info: null,
  socket: null,
  socketReady: false,
  reconnectDelay: 500,
  history: [],
  pending: new Map(),
  pythonSession: `scratchpad-${crypto.randomUUID().slice(0, 8)}`,
  monitoringTimer: 0,
};

// ---------- token ----------
function readToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromHash = hash.get('token');
  if (fromHash) {
    localStorage.setItem('agenticgen-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return fromHash || localStorage.getItem('agenticgen-token') || '';
}

function showSignIn(message = '') {
  $('#signin').hidden = false;
  $('main').hidden = true;
  $('#signin-error').textContent = message;
}

$('#signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('#signin-token').value.trim();
  localStorage.setItem('agenticgen-token', state.token);
  $('#signin').hidden = true;
  $('main').hidden = false;
  start();
});

// ---------- HTTP ----------
async function api(path, options = {}) {
  const headers = { authorization: `Bearer ${state.token}`, ...(options.headers || {}) };
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(path, { method: options.method || (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    if (response.status === 401) showSignIn('The token was not accepted.');
    const error = new Error(data.error?.message || `HTTP ${response.status}`);
    error.code = data.error?.code;
    throw error;
  }
  return data;
}

// ---------- tabs ----------
for (const button of document.querySelectorAll('[data-tab]')) {
  button.addEventListener('click', () => selectTab(button.dataset.tab));
}
function selectTab(name) {
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === name));
  }
  for (const panel of document.querySelectorAll('[data-panel]')) panel.hidden = panel.dataset.panel !== name;
  if (name === 'knowledge') refreshDocuments();
  if (name === 'python') refreshDataFiles();
  if (name === 'monitoring') refreshMonitoring();
}

// ---------- info and features ----------
async function loadInfo() {
  const response = await fetch('/api/info');
  state.info = await response.json();
  const label = $('#model-label');
  label.textContent = state.info.model.offlineDemo ? 'Offline demo model' : state.info.model.label;
  label.classList.toggle('demo', state.info.model.offlineDemo);
  label.title = `${state.info.model.provider} · ${state.info.model.modelId}`;
  $('#demo-banner').hidden = !state.info.model.offlineDemo;
  for (const note of document.querySelectorAll('[data-feature]')) {
    const feature = state.info.features[note.dataset.feature];
    note.textContent = feature && !feature.available ? `Unavailable: ${feature.detail}` : '';
  }
  renderFeatures(state.info.features);
}

function renderFeatures(features) {
  $('#features').replaceChildren(
    ...Object.entries(features).map(([name, feature]) => {
      const row = document.createElement('tr');
      row.innerHTML = `<td>${escapeHtml(name)}</td><td class="${feature.available ? '' : 'error'}">${
        feature.available ? (feature.starting ? 'starting' : 'available') : 'unavailable'
      }</td><td class="muted">${escapeHtml(feature.detail)}</td>`;
      return row;
    }),
  );
}

// ---------- WebSocket ----------
function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', token: state.token })));
  socket.addEventListener('message', (message) => onSocketMessage(JSON.parse(message.data)));
  socket.addEventListener('close', (event) => {
    state.socketReady = false;
    $('#connection-state').className = 'dot offline';
    $('#connection-state').title = `WebSocket closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`;
    for (const [requestId, pending] of state.pending) {
      pending.fail(`connection closed (${event.code})`);
      state.pending.delete(requestId);
    }
    if (event.code === 1008) return showSignIn(`The gateway refused the token: ${event.reason}`);
    setTimeout(connect, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10_000);
  });
}

function onSocketMessage(message) {
  if (message.type === 'welcome') {
    state.socketReady = true;
    state.reconnectDelay = 500;
    $('#connection-state').className = 'dot online';
    $('#connection-state').title = `WebSocket connected (session ${message.sessionId})`;
    return;
  }
  if (message.type === 'run-event') return state.pending.get(message.requestId)?.onEvent(message.event);
  if (message.type === 'error') {
    const pending = state.pending.get(message.requestId);
    if (pending) return pending.fail(message.error.message);
    console.warn('gateway error', message.error);
  }
}

// ---------- chat ----------
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
  const blocks = text.split(/```[a-z]*\n?/i);
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

function escapeHtml(value) {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character],
  );
}

// ---------- knowledge ----------
$('#upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const files = [...$('#upload-files').files];
  if (files.length === 0) return;
  const status = $('#upload-status');
  try {
    for (const file of files) {
      status.textContent = `uploading ${file.name}…`;
      await api('/api/knowledge/documents', { json: { name: file.name, content: await file.text() } });
    }
    status.textContent = `uploaded ${files.length} file(s)`;
    $('#upload-files').value = '';
  } catch (error) {
    status.textContent = error.message;
    status.className = 'error';
  }
  refreshDocuments();
});

async function refreshDocuments() {
  try {
    const { documents } = await api('/api/knowledge/documents');
    $('#documents').replaceChildren(
      ...documents.map((document_) => {
        const row = document.createElement('tr');
        row.innerHTML = `<td>${escapeHtml(document_.name)}</td><td>${escapeHtml(document_.mediaType)}</td><td>${
          document_.chunks
        }</td><td>${(document_.bytes / 1024).toFixed(1)} KB</td><td><button type="button">Delete</button></td>`;
        row.querySelector('button').addEventListener('click', async () => {
          await api(`/api/knowledge/documents/${encodeURIComponent(document_.id)}`, { method: 'DELETE' });
          refreshDocuments();
        });
        return row;
      }),
    );
  } catch (error) {
    $('#documents').innerHTML = `<tr><td colspan="5" class="error">${escapeHtml(error.message)}</td></tr>`;
  }
}

$('#search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = $('#search-query').value.trim();
  if (!query) return;
  try {
    const { results } = await api('/api/knowledge/search', { json: { query, topK: 5 } });
    $('#search-results').replaceChildren(
      ...results.map((result) => {
        const item = document.createElement('li');
        item.innerHTML = `<span class="source">${escapeHtml(result.source)}</span> <span class="muted">passage ${
          result.chunk + 1
        } · score ${result.score.toFixed(3)}</span><div>${escapeHtml(result.text)}</div>`;
        return item;
      }),
    );
    if (results.length === 0) $('#search-results').innerHTML = '<li class="muted">no matches</li>';
  } catch (error) {
    $('#search-results').innerHTML = `<li class="error">${escapeHtml(error.message)}</li>`;
  }
});

// ---------- python and SQL ----------
$('#python-run').addEventListener('click', runPython);
$('#python-code').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) runPython();
});
$('#python-reset').addEventListener('click', () => {
  state.pythonSession = `scratchpad-${crypto.randomUUID().slice(0, 8)}`;
  $('#python-status').textContent = 'new session';
});

async function runPython() {
  const output = $('#python-output');
  const status = $('#python-status');
  $('#python-run').disabled = true;
  status.textContent = 'running…';
  output.dataset.state = 'running';
  try {
    const result = await api('/api/tools/python', {
      json: { code: $('#python-code').value, sessionId: state.pythonSession },
    });
    const parts = [];
    if (result.stdout) parts.push(escapeHtml(result.stdout.replace(/\n$/, '')));
    if (result.result) parts.push(`<strong>${escapeHtml(result.result.repr)}</strong>`);
    if (result.stderr) parts.push(`<span class="err">${escapeHtml(result.stderr)}</span>`);
    if (!result.ok && result.error) {
      parts.push(
        `<span class="err">${escapeHtml(result.error.traceback || `${result.error.type}: ${result.error.message}`)}</span>`,
      );
    }
    output.innerHTML = parts.join('\n') || '<span class="muted">(no output)</span>';
    status.textContent = `${result.ok ? 'ok' : 'error'} · ${Math.round(result.durationMs)} ms`;
    output.dataset.state = result.ok ? 'ok' : 'error';
  } catch (error) {
    output.innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
    status.textContent = '';
    output.dataset.state = 'error';
  } finally {
    $('#python-run').disabled = false;
  }
}

$('#data-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('#data-file').files[0];
  if (!file) return;
  try {
    await api(`/api/tools/files?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: await file.arrayBuffer(),
      headers: { 'content-type': 'application/octet-stream' },
    });
    await refreshDataFiles(file.name);
  } catch (error) {
    $('#sql-output').innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
  }
});

async function refreshDataFiles(select) {
  try {
    const { files } = await api('/api/tools/files');
    $('#data-files').replaceChildren(
      ...files.map((file) => {
        const option = document.createElement('option');
        option.value = file.name;
        option.textContent = file.name;
        option.selected = file.name === select;
        return option;
      }),
    );
  } catch {
    // The list stays as it was; the SQL run reports the error.
  }
}

$('#sql-run').addEventListener('click', async () => {
  const output = $('#sql-output');
  try {
    const result = await api('/api/tools/sql', {
      json: { file: $('#data-files').value, query: $('#sql-query').value },
    });
    const head = `<tr>${result.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
    const rows = result.rows
      .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
      .join('');
    output.innerHTML = `<table>${head}${rows}</table>`;
  } catch (error) {
    output.innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
  }
});

// ---------- monitoring ----------
async function refreshMonitoring() {
  clearTimeout(state.monitoringTimer);
  if ($('#tab-monitoring').hidden) return;
  try {
    const { samples } = await api('/api/monitoring/history');
    const pick = (key) => samples.map((sample) => sample[key]);
    drawLineChart($('#chart-requests'), [{ label: 'req/s', values: pick('requestRate') }]);
    drawLineChart($('#chart-latency'), [
      { label: 'p50', values: pick('latencyP50') },
      { label: 'p95', values: pick('latencyP95') },
      { label: 'p99', values: pick('latencyP99') },
    ]);
    drawLineChart($('#chart-tokens'), [{ label: 'tokens/s', values: pick('tokenRate') }]);
    drawLineChart($('#chart-cache'), [{ label: 'hit ratio', values: pick('cacheHitRatio') }], { fixedMax: 1 });
    drawLineChart($('#chart-sandbox'), [{ label: 'runs/s', values: pick('sandboxRunRate') }]);
    drawLineChart($('#chart-connections'), [
      { label: 'sockets', values: pick('connections') },
      { label: 'runs', values: pick('activeRuns') },
    ]);
    $('#tab-monitoring').dataset.samples = String(samples.length);
  } catch (error) {
    document.querySelector('[data-feature="metrics"]').textContent = error.message;
  }
  state.monitoringTimer = setTimeout(refreshMonitoring, 2000);
}

// ---------- start ----------
async function start() {
  await loadInfo();
  connect();
}

state.token = readToken();
if (state.token) start();
else {
  loadInfo();
  showSignIn();
}
