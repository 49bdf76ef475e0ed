// A page built the way a React app uses the AI SDK: useChat with its default transport, nothing AgenticGen-specific.
// The test passes the chat id and the bearer token in the query string.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai';
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';

const query = new URLSearchParams(location.search);
const chatId = query.get('chat') ?? 'chat';
const headers = { authorization: `Bearer ${query.get('token') ?? ''}` };

function Part({ part, onApprove }) {
  if (part.type === 'text') return h('p', { className: 'text' }, part.text);
  if (part.type === 'source-url' || part.type === 'source-document')
    return h('li', { className: 'source', 'data-source': part.sourceId }, part.title ?? part.url);
  if (part.type.startsWith('tool-')) {
    return h(
      'div',
      { className: 'tool', 'data-tool': part.type.slice(5), 'data-state': part.state },
      h('code', { className: 'tool-input' }, JSON.stringify(part.input ?? null)),
      part.state === 'output-available' ? h('code', { className: 'tool-output' }, JSON.stringify(part.output)) : null,
      part.state === 'approval-requested'
        ? h('button', { type: 'button', className: 'approve', onClick: () => onApprove(part.approval.id) }, 'Approve')
        : null,
    );
  }
  return null;
}

function App() {
  const [input, setInput] = useState('');
  const { messages, sendMessage, status, error, stop, addToolApprovalResponse } = useChat({
    id: chatId,
    resume: true,
    transport: new DefaultChatTransport({ api: '/api/ui/chat', headers }),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  return h(
    'main',
    { 'data-status': status },
    messages.map((message) =>
      h(
        'section',
        {
          key: message.id,
          className: 'message',
          'data-role': message.role,
          'data-model': message.metadata?.model ?? '',
        },
        message.parts.map((part, index) =>
          h(Part, { key: index, part, onApprove: (id) => addToolApprovalResponse({ id, approved: true }) }),
        ),
      ),
    ),
    error ? h('p', { id: 'error' }, error.message) : null,
    h('input', { id: 'input', value: input, onChange: (event) => setInput(event.target.value) }),
    h(
      'button',
      {
        type: 'button',
        id: 'send',
        onClick: () => {
          sendMessage({ text: input });
          setInput('');
        },
      },
      'Send',
    ),
    h(
      'button',
      {
        type: 'button',
        id: 'stop',
        onClick: () => {
          stop();
          // useChat's stop only drops the connection; the answer is recorded for resume until cancelled.
          fetch(`/api/ui/chat/${chatId}/stream`, { method: 'DELETE', headers });
        },
      },
      'Stop',
    ),
  );
}

createRoot(document.getElementById('root')).render(h(App));
