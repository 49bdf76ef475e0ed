// The Vue binding of the AI SDK (Chat from @ai-sdk/vue, default transport), rendered without a build plugin.
import { Chat } from '@ai-sdk/vue';
import { DefaultChatTransport } from 'ai';
import { createApp, h, ref } from 'vue';

const query = new URLSearchParams(location.search);
const headers = { authorization: `Bearer ${query.get('token') ?? ''}` };
const chat = new Chat({
  id: query.get('chat') ?? 'vue-chat',
  transport: new DefaultChatTransport({ api: '/api/ui/chat', headers }),
});

createApp({
  setup() {
    const input = ref('');
    return () =>
      h('main', { 'data-status': chat.status }, [
        ...chat.messages.map((message) =>
          h(
            'section',
            { key: message.id, 'data-role': message.role },
            message.parts.map((part) => {
              if (part.type === 'text') return h('p', { class: 'text' }, part.text);
              if (part.type.startsWith('tool-'))
                return h('code', { class: 'tool', 'data-state': part.state }, JSON.stringify(part.output ?? null));
              return null;
            }),
          ),
        ),
        h('input', { id: 'input', value: input.value, onInput: (event) => (input.value = event.target.value) }),
        h(
          'button',
          {
            type: 'button',
            id: 'send',
            onClick: () => {
              chat.sendMessage({ text: input.value });
              input.value = '';
            },
          },
          'Send',
        ),
      ]);
  },
}).mount('#root');
