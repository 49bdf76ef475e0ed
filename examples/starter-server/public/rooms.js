// Collaboration rooms: join a room over the WebSocket and watch every run streamed to it. A supervisor run
// shows one section per agent: the supervisor's delegations and answer, then each worker's own steps.
import { createRunView } from './run-view.js';
import { $, api, escapeHtml, socketListeners, state, trimChildren } from './shared.js';

/** Notes and runs kept in the feed: the oldest go first. */
export const maxFeedItems = 50;
/** The room this page is in (re-joined after a reconnect). */
let room = '';
/** Run cards by run id. */
const runs = new Map();

$('#room-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('#room-name').value.trim();
  if (!name || !state.socketReady) return;
  if (room && room !== name) state.socket.send(JSON.stringify({ type: 'leave', room }));
  room = name;
  $('#room-status').textContent = `joining ${name}…`;
  state.socket.send(JSON.stringify({ type: 'join', room: name }));
});

$('#room-task-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const task = $('#room-task').value.trim();
  if (!task || !room) return;
  // Members see what was asked; the run's events reach everyone (this page too) through the room.
  state.socket.send(JSON.stringify({ type: 'publish', room, data: { kind: 'task', task } }));
  $('#room-run').disabled = true;
  try {
    await api('/api/collaboration', { json: { task, room } });
  } catch (error) {
    appendNote(`The run failed: ${error.message}`, 'error');
  } finally {
    $('#room-run').disabled = false;
  }
});

socketListeners.add((message) => {
  if (message.type === 'welcome' && room) state.socket.send(JSON.stringify({ type: 'join', room }));
  if (message.type === 'joined' && message.room === room) {
    $('#room-status').textContent = `in ${room} · ${message.members} member(s)`;
    $('#room-run').disabled = false;
  }
  if (message.type === 'room-message' && message.room === room && message.data?.kind === 'task') {
    appendNote(
      `${message.from === state.sessionId ? 'You' : `Member ${message.from.slice(0, 6)}`} asked: ${message.data.task}`,
    );
  }
  if (message.type === 'run-event' && message.room === room && message.requestId === undefined) {
    onRunEvent(message.event);
  }
});

function appendNote(text, className = 'muted') {
  const note = document.createElement('p');
  note.className = `note ${className}`;
  note.textContent = text;
  appendToFeed(note);
}

function appendToFeed(element) {
  $('#room-feed').append(element);
  trimChildren($('#room-feed'), maxFeedItems);
  for (const [runId, card] of runs) if (!card.element.isConnected) runs.delete(runId);
}

function onRunEvent(event) {
  let card = runs.get(event.runId);
  if (card === undefined) {
    card = createRunCard(event.runId, event.kind);
    runs.set(event.runId, card);
    appendToFeed(card.element);
  }
  card.onEvent(event);
}

/** A run in the room: one run view per agent, created in the order the supervisor delegates. */
function createRunCard(runId, kind) {
  const element = document.createElement('article');
  element.className = 'run';
  element.dataset.state = 'running';
  element.innerHTML = `<header><strong>${escapeHtml(kind ?? 'run')}</strong> <span class="muted">${escapeHtml(
    runId.slice(0, 8),
  )}</span> <span class="run-state muted">running…</span></header>`;
  const agents = new Map();
  const agentView = (name) => {
    let entry = agents.get(name);
    if (entry === undefined) {
      const section = document.createElement('section');
      section.className = 'agent-steps';
      section.dataset.agent = name;
      const heading = document.createElement('h3');
      heading.textContent = name;
      const figures = { steps: 0, tokens: 0 };
      const view = createRunView();
      section.append(heading, view.element);
      element.append(section);
      entry = { view, figures };
      agents.set(name, entry);
    }
    return entry;
  };
  return {
    element,
    onEvent(event) {
      if (event.type === 'run-start') return;
      if (event.type === 'run-finish' || event.type === 'run-error') {
        const failed = event.type === 'run-error';
        element.dataset.state = failed ? 'failed' : 'done';
        element.querySelector('.run-state').textContent = failed
          ? `failed: ${event.error.code}: ${event.error.message}`
          : `done in ${Math.round(event.durationMs)} ms`;
        for (const { view, figures } of agents.values()) {
          view.finish(`${figures.steps} step(s) · ${figures.tokens} tokens`, failed);
        }
        return;
      }
      const name = typeof event.agent === 'string' ? event.agent : 'agent';
      const { view, figures } = agentView(name);
      // A delegation opens the worker's section now, so sections follow the supervisor's order.
      if (event.type === 'tool-call' && name === 'supervisor') agentView(event.toolName);
      if (event.type === 'step-finish') {
        figures.steps++;
        figures.tokens += event.usage?.totalTokens ?? 0;
      }
      view.onEvent(event);
    },
  };
}
