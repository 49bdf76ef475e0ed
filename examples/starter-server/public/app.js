// The starter UI: plain ES modules, no build step. Talks to the HTTP API (bearer token) and the WebSocket
// gateway (`/ws`, authenticated with an `auth` message so the token never appears in a URL).
import { refreshAgents } from './agents.js';
import { startChat } from './chat.js';
import { refreshModels } from './compare.js';
import './rooms.js';
import { refreshDocuments } from './knowledge.js';
import { refreshMonitoring } from './monitoring.js';
import './python.js';
import { $, escapeHtml, readToken, showSignIn, socketListeners, state, tokenFromText } from './shared.js';
import { refreshDataFiles } from './sql.js';

$('#signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenFromText($('#signin-token').value);
  if (!token) return;
  localStorage.setItem('agenticgen-token', token);
  $('#signin-token').value = '';
  signIn(token);
});
// The token link pasted into a tab already open on this page changes only the hash: no reload happens.
window.addEventListener('hashchange', () => {
  if (!new URLSearchParams(location.hash.slice(1)).has('token')) return;
  const token = readToken();
  if (token) signIn(token);
});

function signIn(token) {
  state.token = token;
  $('#signin').hidden = true;
  $('main').hidden = false;
  // An open connection was authenticated with the previous token: closing it reconnects with this one.
  if (state.socket !== null && state.socket.readyState <= WebSocket.OPEN) {
    state.socket.close();
    openChat();
  } else start();
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
  if (name === 'agents') refreshAgents();
  if (name === 'compare') refreshModels();
}

// ---------- info and features ----------
async function loadInfo() {
  // Sent with the token once there is one, so this works whether or not the server keeps /api/info public.
  const response = await fetch('/api/info', state.token ? { headers: { authorization: `Bearer ${state.token}` } } : {});
  if (!response.ok) return;
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
    if (event.code === 1008) {
      // A refused token is not kept: the next visit shows the sign-in screen instead of failing again.
      localStorage.removeItem('agenticgen-token');
      state.socket = null;
      return showSignIn(`The gateway refused the token (${event.reason}). Paste the token link again.`);
    }
    setTimeout(connect, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10_000);
  });
}

function onSocketMessage(message) {
  for (const listener of socketListeners) listener(message);
  if (message.type === 'welcome') {
    state.sessionId = message.sessionId;
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

// ---------- start ----------
async function start() {
  await loadInfo();
  connect();
  openChat();
}

/** The chat speaks HTTP (the UI message stream protocol), not the WebSocket: it opens on its own. */
function openChat() {
  startChat().catch((error) => console.warn('chat: could not open the thread', error));
}

state.token = readToken();
if (state.token) start();
else {
  loadInfo();
  showSignIn();
}
