import { type Agent, citationsOf } from '@agenticgen/core';
import { describeError, element } from './dom.js';

export interface ChatPanelOptions {
  /** A fresh agent for one question, reporting answer-cache lookups to `onLookup`. */
  createAgent(onLookup: (hit: boolean) => void): Agent;
  /** Called when a run ends, however it ends. */
  onRunEnd?(): void;
}

const pythonExample =
  '```python\nimport statistics\nvalues = [3, 1, 4, 1, 5, 9, 2, 6]\nprint("mean", statistics.mean(values))\nsum(values)\n```';

/**
 * Questions go to the agent, which streams its steps: tool calls (search_knowledge, run_python), the answer
 * text, then the citations core extracts (`citationsOf` keeps only refs that were really retrieved).
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

  const ask = async () => {
    const question = input.value.trim();
    if (question === '') return;
    input.value = '';
    send.disabled = true;
    transcript.append(element('div', { class: 'message user' }, element('pre', {}, question)));
    const steps = element('ul', { class: 'steps' });
    const text = element('div', { class: 'answer-text', 'data-testid': 'answer-text' });
    const footer = element('div', { class: 'answer-footer' });
    const answer = element(
      'div',
      { class: 'message assistant', 'data-testid': 'answer', 'data-state': 'running' },
      steps,
      text,
      footer,
    );
    transcript.append(answer);
    const lookups: boolean[] = [];
    let raw = '';
    try {
      const run = options.createAgent((hit) => lookups.push(hit)).stream(question);
      for await (const event of run) {
        if (event.type === 'tool-call') {
          steps.append(
            element('li', { class: 'muted small' }, `→ ${event.toolName} ${JSON.stringify(event.input).slice(0, 120)}`),
          );
        } else if (event.type === 'tool-result' && event.toolName === 'run_python') {
          const output = event.output as { stdout?: string; result?: string; error?: string };
          steps.append(
            element(
              'li',
              {},
              element(
                'pre',
                { class: 'python-output', 'data-testid': 'python-output' },
                [
                  output.stdout?.trimEnd() ?? '',
                  output.result === undefined ? '' : `→ ${output.result}`,
                  output.error ?? '',
                ]
                  .filter(Boolean)
                  .join('\n'),
              ),
            ),
          );
        } else if (event.type === 'text-delta') {
          raw += event.delta;
          renderAnswer(text, raw);
        }
      }
      const result = await run.result;
      renderAnswer(text, result.text);
      const citations = citationsOf(result);
      if (citations.length > 0) {
        footer.append(
          element('p', { class: 'muted small' }, 'Sources (cited refs the search really returned):'),
          element(
            'ol',
            { class: 'citations', 'data-testid': 'citations' },
            ...citations.map((citation) =>
              element(
                'li',
                { 'data-ref': citation.ref },
                element('cite', {}, `[${citation.ref}]`),
                ` ${citation.source}`,
              ),
            ),
          ),
        );
      }
      const fromCache = lookups.length > 0 && lookups.every(Boolean);
      footer.append(
        element(
          'p',
          { class: 'muted small', 'data-testid': 'answer-meta' },
          `${result.steps.length} model call${result.steps.length === 1 ? '' : 's'} · ${result.usage.totalTokens} tokens · ${fromCache ? 'answered from the IndexedDB cache' : `${lookups.filter(Boolean).length}/${lookups.length} cache hits`}`,
        ),
      );
      answer.dataset.cache = fromCache ? 'hit' : 'miss';
      answer.dataset.state = 'done';
    } catch (error) {
      text.append(element('p', { class: 'error' }, describeError(error)));
      answer.dataset.state = 'error';
    } finally {
      send.disabled = false;
      options.onRunEnd?.();
      answer.scrollIntoView({ block: 'end' });
    }
  };

  container.append(
    element('h2', {}, 'Agent'),
    transcript,
    element(
      'form',
      {
        class: 'stack',
        onsubmit: (event) => {
          event.preventDefault();
          void ask();
        },
      },
      input,
      element('div', { class: 'row' }, send, example),
    ),
  );
}

/** Renders quotes (`> …`), fenced blocks and paragraphs as elements, with `[ref]` citations highlighted. */
function renderAnswer(target: HTMLElement, markdown: string): void {
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
