// The view of one agent's answer: its tool calls, the streamed text with citations, the sources it cites and a
// line of figures. Used by the chat, the agents screen and, once per agent, by collaboration runs.
import { renderMarkdown, renderSources, resolveCitations } from './citations.js';
import { escapeHtml } from './shared.js';

/**
 * The element of an answer in state `state` (`streaming`, `done`, `failed`) with its parts: the tool calls, the
 * text, the sources it cites and a line of figures. The chat and `createRunView` fill it.
 */
export function answerElement(state) {
  const element = document.createElement('div');
  element.className = 'message assistant';
  element.dataset.state = state;
  element.classList.toggle('error', state === 'failed');
  const tools = document.createElement('div');
  const body = document.createElement('div');
  body.className = 'answer';
  const sourceList = document.createElement('ol');
  sourceList.className = 'sources';
  sourceList.hidden = true;
  const meta = document.createElement('div');
  meta.className = 'meta';
  element.append(tools, body, sourceList, meta);
  return { element, tools, body, sourceList, meta };
}

/**
 * Creates the element of an answer; `onEvent` takes the run's events (`run-event` payloads).
 * @param {{ modelLabel?: () => string }} options
 */
export function createRunView(options = {}) {
  const { element, tools, body, sourceList, meta } = answerElement('streaming');

  let text = '';
  let passages = [];
  let sources = [];
  const toolViews = new Map();
  const toolRecords = [];

  const renderAnswer = (final) => {
    const resolved = resolveCitations(text, passages);
    // Only a finished answer lists its sources: a [1] seen before the answer's own list may be renumbered.
    if (final) {
      sources = resolved.sources;
      renderSources(sourceList, sources);
    }
    body.innerHTML = renderMarkdown(resolved.body, sources);
  };

  const view = {
    element,
    /** Called once when the run ends, finished or failed. */
    onEnd: () => {},
    /** Called with the run id when the run starts. */
    onStart: () => {},
    get text() {
      return text;
    },
    onEvent(event) {
      switch (event.type) {
        case 'run-start':
          view.onStart(event.runId);
          meta.textContent = 'thinking…';
          break;
        case 'text-delta':
          text += event.delta;
          renderAnswer(false);
          break;
        case 'tool-call': {
          const record = { toolCallId: event.toolCallId, toolName: event.toolName, input: event.input };
          toolRecords.push(record);
          const details = renderTool(record);
          tools.append(details);
          toolViews.set(event.toolCallId, details);
          break;
        }
        case 'tool-result': {
          const record = toolRecords.find((item) => item.toolCallId === event.toolCallId);
          if (record !== undefined) {
            Object.assign(record, { isError: Boolean(event.isError), durationMs: event.durationMs });
            showToolResult(toolViews.get(event.toolCallId), record, event.output);
          }
          if (event.toolName === 'search_knowledge' && !event.isError) passages = event.output?.results ?? [];
          break;
        }
        case 'run-finish': {
          element.dataset.state = 'done';
          renderAnswer(true);
          const result = event.result || {};
          const usage = result.usage;
          const label = options.modelLabel?.() ?? '';
          meta.textContent = [
            label,
            `${result.steps ?? '?'} step(s)`,
            usage ? `${usage.totalTokens} tokens` : '',
            `${Math.round(event.durationMs)} ms`,
          ]
            .filter(Boolean)
            .join(' · ');
          view.onEnd();
          break;
        }
        case 'run-error':
          view.fail(`${event.error.code}: ${event.error.message}`);
          break;
        default:
          break;
      }
    },
    /** Ends an answer whose run reports its end elsewhere (a worker inside a collaboration run). */
    finish(figures, failed = false) {
      if (element.dataset.state !== 'streaming') return;
      if (failed) return view.fail(figures);
      element.dataset.state = 'done';
      renderAnswer(true);
      meta.textContent = figures;
      view.onEnd();
    },
    fail(reason) {
      if (element.dataset.state !== 'streaming') return;
      renderAnswer(true);
      element.dataset.state = 'failed';
      element.classList.add('error');
      meta.textContent = reason;
      view.onEnd();
    },
    /** What the chat history keeps of this answer (the tool outputs are left out: they can be large). */
    snapshot() {
      return {
        text,
        sources,
        meta: meta.textContent,
        failed: element.dataset.state === 'failed',
        tools: toolRecords.map(({ toolCallId, toolName, input, isError, durationMs }) => ({
          toolCallId,
          toolName,
          input,
          isError,
          durationMs,
        })),
      };
    },
  };
  return view;
}

function renderTool(record) {
  const details = document.createElement('details');
  details.className = 'tool';
  details.dataset.tool = record.toolName;
  details.innerHTML = `<summary>Tool <strong>${escapeHtml(record.toolName)}</strong> <span class="state">running…</span></summary><pre>${escapeHtml(
    JSON.stringify(record.input, null, 2),
  )}</pre>`;
  if (record.durationMs !== undefined) showToolResult(details, record);
  return details;
}

function showToolResult(details, record, output) {
  if (details === undefined) return;
  details.querySelector('.state').textContent =
    `${record.isError ? 'failed' : 'done'} (${Math.round(record.durationMs ?? 0)} ms)`;
  details.classList.toggle('failed', Boolean(record.isError));
  if (output !== undefined) {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(output, null, 2);
    details.append(pre);
  }
}
