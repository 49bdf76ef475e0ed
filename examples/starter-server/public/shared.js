// Shared state and helpers of the UI: the token, the HTTP client, escaping.
export const $ = (selector) => document.querySelector(selector);
export const state = {
  token: '',
  info: null,
  socket: null,
  socketReady: false,
  reconnectDelay: 500,
  history: [],
  pending: new Map(),
  pythonSession: `scratchpad-${crypto.randomUUID().slice(0, 8)}`,
  monitoringTimer: 0,
  /** This page's gateway session, from the `welcome` message. */
  sessionId: '',
};

/** Called with every gateway message (rooms listen for `joined`, `room-message` and room run events). */
export const socketListeners = new Set();

// ---------- token ----------
/** The token in what the user pasted: a token, or the whole link `npm start` printed (`…/#token=…`). */
export function tokenFromText(text) {
  const trimmed = text.trim();
  const hash = trimmed.indexOf('#');
  if (hash === -1) return trimmed;
  return new URLSearchParams(trimmed.slice(hash + 1)).get('token')?.trim() ?? '';
}

export function readToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromHash = hash.get('token');
  if (fromHash) {
    localStorage.setItem('agenticgen-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return fromHash || localStorage.getItem('agenticgen-token') || '';
}

export function showSignIn(message = '') {
  $('#signin').hidden = false;
  $('main').hidden = true;
  $('#signin-error').textContent = message;
}

// ---------- HTTP ----------
export async function api(path, options = {}) {
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

export function escapeHtml(value) {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character],
  );
}

// ---------- WebSocket runs ----------
/**
 * Sends a run request (`chat` or `agent-run`, without its `requestId`) over the gateway and streams the run's
 * events into `view`. Returns `ended` (resolves when the run ends) and `cancel()`.
 */
export function streamOverGateway(message, view) {
  const requestId = crypto.randomUUID().slice(0, 12);
  let runId = null;
  state.pending.set(requestId, { onEvent: (event) => view.onEvent(event), fail: (reason) => view.fail(reason) });
  view.onStart = (id) => {
    runId = id;
  };
  const ended = new Promise((resolve) => {
    view.onEnd = () => {
      state.pending.delete(requestId);
      resolve();
    };
  });
  state.socket.send(JSON.stringify({ ...message, requestId }));
  return {
    ended,
    cancel() {
      if (runId !== null && state.socketReady) state.socket.send(JSON.stringify({ type: 'cancel', runId }));
    },
  };
}

/** Keeps the newest `max` children of `container`: long sessions do not grow the page without bound. */
export function trimChildren(container, max) {
  while (container.children.length > max) container.firstElementChild.remove();
}

/** Fills a `<select>` with one option per name, keeping `current` selected when it is still there. */
export function fillChoices(chooser, names, current) {
  chooser.replaceChildren(
    ...names.map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      option.selected = name === current;
      return option;
    }),
  );
}
