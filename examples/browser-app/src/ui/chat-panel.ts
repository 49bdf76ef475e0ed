import type { Agent } from '@agenticgen/core';
import { type ChatState, createChatClient, type UIMessage, type UIToolPart } from '@agenticgen/core/ui';
import { createInPageChat } from '../app/in-page-chat.js';
import { element } from './dom.js';

export interface ChatPanelOptions {
  /** A fresh agent for one question, reporting answer-cache lookups to `onLookup`. */
  createAgent(onLookup: (hit: boolean) => void): Agent;
  /** Called when a run ends, however it ends. */
  onRunEnd?(): void;
}

const pythonExample =
  '```python\nimport statistics\nvalues = [3, 1, 4, 1, 5, 9, 2, 6]\nprint("mean", statistics.mean(values))\nsum(values)\n```';

/**
 * The conversation through core's framework-free chat client (`createChatClient`): questions go to the agent in
 * this page over the UI message stream protocol, and the panel draws the client's state — tool calls
 * (search_knowledge, run_python), the answer text, then the sources core cites (`citationsOf` keeps only refs
 * that were really retrieved).
 */
export function mountChatPanel(container: HTMLElement, options: ChatPanelOptions): void {
  const transcript = element('div', { class: 'transcript', 'data-testid': 'transcript', 'aria-live': 'polite' });
  const input = element('textarea', {
    rows: '3',
    placeholder: 'Ask about your documents, or send Python in a ```python block',
    'data-testid': 'chat-input',
  });
  const send = element('button', { type: 'submit', 'data-testid': 'chat-send' }, 'Ask');
  const example = element(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-testid': 'chat-python-example',
      onclick: () => {
        input.value = pythonExample;
        input.focus();
      },
    },
    'Python example',
  );

  const chat = createInPageChat(options.createAgent, () => {
    render(client.getState());
    options.onRunEnd?.();
  });
  const client = createChatClient({ api: '/in-page/chat', fetch: chat.fetch });

  const render = (state: ChatState) => {
    const busy = state.status === 'submitted' || state.status === 'streaming';
    send.disabled = busy;
    transcript.replaceChildren(
      ...state.messages.map((message, index) => {
        if (message.role === 'user')
          return element('div', { class: 'message user' }, element('pre', {}, textOf(message)));
        const last = index === state.messages.length - 1;
        // An answer is done once its run's facts (cache hits) are known, a moment after its stream ended.
        const runId = (message.metadata as { runId?: string } | undefined)?.runId;
        const settled = runId !== undefined && chat.factsOf(runId) !== undefined;
        const phase = !last ? 'done' : state.status === 'error' ? 'error' : busy || !settled ? 'running' : 'done';
        return renderAnswer(message, phase, last ? state.error : undefined);
      }),
    );
    transcript.lastElementChild?.scrollIntoView({ block: 'end' });
  };

  const renderAnswer = (message: UIMessage, phase: string, error: string | undefined) => {
    const steps = element('ul', { class: 'steps' });
    const text = element('div', { class: 'answer-text', 'data-testid': 'answer-text' });
    const footer = element('div', { class: 'answer-footer' });
    const answer = element(
      'div',
      { class: 'message assistant', 'data-testid': 'answer', 'data-state': phase },
      steps,
      text,
      footer,
    );
    const sources: Array<{ ref: string; title: string }> = [];
    let modelCalls = 0;
    for (const part of message.parts) {
      if (part.type === 'step-start') modelCalls += 1;
      else if (part.type === 'source-document' || part.type === 'source-url')
        sources.push({ ref: part.sourceId, title: part.title ?? '' });
      else if ('toolCallId' in part) steps.append(...renderTool(part));
    }
    renderText(text, textOf(message));
    if (error !== undefined && phase === 'error') text.append(element('p', { class: 'error' }, error));
    if (phase !== 'done') return answer;
    if (sources.length > 0) {
      footer.append(
        element('p', { class: 'muted small' }, 'Sources (cited refs the search really returned):'),
        element(
          'ol',
          { class: 'citations', 'data-testid': 'citations' },
          ...sources.map((source) =>
            element('li', { 'data-ref': source.ref }, element('cite', {}, `[${source.ref}]`), ` ${source.title}`),
          ),
        ),
      );
    }
    const metadata = message.metadata as { runId?: string; usage?: { totalTokens: number } } | undefined;
    const facts = metadata?.runId === undefined ? undefined : chat.factsOf(metadata.runId);
    if (facts !== undefined) {
      footer.append(
        element(
          'p',
          { class: 'muted small', 'data-testid': 'answer-meta' },
          `${modelCalls} model call${modelCalls === 1 ? '' : 's'} · ${metadata?.usage?.totalTokens ?? 0} tokens · ${facts.fromCache ? 'answered from the IndexedDB cache' : `${facts.hits}/${facts.lookups} cache hits`}`,
        ),
      );
      answer.dataset.cache = facts.fromCache ? 'hit' : 'miss';
    }
    return answer;
  };

  client.subscribe(render);

  container.append(
    element('h2', {}, 'Agent'),
    transcript,
    element(
      'form',
      {
        class: 'stack',
        onsubmit: (event) => {
          event.preventDefault();
          const question = input.value.trim();
          if (question === '') return;
          input.value = '';
          void client.send(question);
        },
      },
      input,
      element('div', { class: 'row' }, send, example),
    ),
  );
}

function textOf(message: UIMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A tool call as a step: its name and input, and for run_python its output. */
function renderTool(part: UIToolPart): HTMLElement[] {
  const name = part.type.slice('tool-'.length);
  const items = [
    element('li', { class: 'muted small' }, `→ ${name} ${JSON.stringify(part.input ?? null).slice(0, 120)}`),
  ];
  if (name === 'run_python' && part.state === 'output-available') {
    const output = part.output as { stdout?: string; result?: string; error?: string };
    items.push(
      element(
        'li',
        {},
        element(
          'pre',
          { class: 'python-output', 'data-testid': 'python-output' },
          [output.stdout?.trimEnd() ?? '', output.result === undefined ? '' : `→ ${output.result}`, output.error ?? '']
            .filter(Boolean)
            .join('\n'),
        ),
      ),
    );
  }
  return items;
}

/** Renders quotes (`> …`), fenced blocks and paragraphs as elements, with `[ref]` citations highlighted. */
function renderText(target: HTMLElement, markdown: string): void {
  const blocks: Node[] = [];
  const parts = markdown.split(/```[^\n]*\n?/);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      blocks.push(element('pre', {}, part.trimEnd()));
      return;
    }
    for (const paragraph of part.split(/\n{2,}/)) {
      const trimmed = paragraph.trim();
      if (trimmed === '') continue;
      const quote = trimmed.startsWith('> ');
      const node = element(quote ? 'blockquote' : 'p', {});
      for (const piece of (quote ? trimmed.slice(2) : trimmed).split(/(\[[^\]\s]+#\d+\])/)) {
        node.append(/^\[[^\]\s]+#\d+\]$/.test(piece) ? element('cite', {}, piece) : piece);
      }
      blocks.push(node);
    }
  });
  target.replaceChildren(...blocks);
}
