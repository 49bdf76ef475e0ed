// Agents: the server's agents, running one (streamed over the WebSocket), and new agents from core's presets
// (`POST /api/agents` takes core's agent config).
import { modelLabel } from './chat.js';
import { createRunView } from './run-view.js';
import { $, api, escapeHtml, fillChoices, state, streamOverGateway, trimChildren } from './shared.js';

/**
 * The presets this server can build: its agent config resolves models and tools by name. The research preset
 * also needs a knowledge base by name, which the server does not offer: a basic agent with search_knowledge
 * does that job.
 */
const presets = {
  basic: 'An agent with the tools you pick and your instructions.',
  coding: 'Writes and runs code with the tools you pick (give it run_python); preset instructions for coding.',
  creative: 'Writing without tools; preset instructions for creative work.',
};

/** Agent runs kept on the screen (the oldest go first). */
const maxShownRuns = 20;

for (const [name, help] of Object.entries(presets)) {
  const option = document.createElement('option');
  option.value = name;
  option.textContent = name;
  option.dataset.help = help;
  $('#agent-preset').append(option);
}
const showPresetHelp = () => {
  const preset = $('#agent-preset').value;
  $('#agent-preset-help').textContent = presets[preset];
  $('#agent-tools').disabled = preset === 'creative';
};
$('#agent-preset').addEventListener('change', showPresetHelp);
showPresetHelp();

export async function refreshAgents(select) {
  try {
    const [{ agents }, { tools }] = await Promise.all([api('/api/agents'), api('/api/tools')]);
    $('#agents-list').replaceChildren(
      ...agents.map((agent) => {
        const row = document.createElement('tr');
        row.dataset.agent = agent.name;
        row.innerHTML = `<td><strong>${escapeHtml(agent.name)}</strong></td><td><span class="badge${
          agent.builtIn ? '' : ' custom'
        }">${agent.builtIn ? 'built-in' : 'custom'}</span></td><td>${escapeHtml(agent.description)}</td><td class="mono">${
          agent.tools.map(escapeHtml).join(', ') || '<span class="muted">none</span>'
        }</td>`;
        return row;
      }),
    );
    const chooser = $('#agent-run-name');
    const current = select ?? chooser.value;
    fillChoices(
      chooser,
      agents.map((agent) => agent.name),
      current,
    );
    const checked = new Set([...document.querySelectorAll('#agent-tools input:checked')].map((input) => input.value));
    $('#agent-tools').replaceChildren(
      $('#agent-tools legend'),
      ...tools.map((tool) => {
        const label = document.createElement('label');
        label.className = 'chip';
        label.title = tool.description;
        label.innerHTML = `<input type="checkbox" value="${escapeHtml(tool.name)}" /> ${escapeHtml(tool.name)}`;
        label.querySelector('input').checked = checked.has(tool.name);
        return label;
      }),
    );
  } catch (error) {
    $('#agents-list').innerHTML = `<tr><td colspan="4" class="error">${escapeHtml(error.message)}</td></tr>`;
  }
}

$('#agent-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('#agent-create-status');
  const preset = $('#agent-preset').value;
  const config = { name: $('#agent-name').value.trim(), kind: preset };
  const description = $('#agent-description').value.trim();
  const instructions = $('#agent-instructions').value.trim();
  if (description) config.description = description;
  if (instructions) config.instructions = instructions;
  const tools = [...document.querySelectorAll('#agent-tools input:checked')].map((input) => input.value);
  if (preset !== 'creative' && tools.length > 0) config.tools = tools;
  status.className = 'muted';
  status.textContent = 'creating…';
  try {
    const { agent } = await api('/api/agents', { json: config });
    status.textContent = `created ${agent.name}`;
    await refreshAgents(agent.name);
  } catch (error) {
    status.className = 'error';
    status.textContent = error.message;
  }
});

$('#agent-run-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('#agent-run-input').value.trim();
  const agent = $('#agent-run-name').value;
  if (!input || !agent) return;
  if (!state.socketReady) {
    $('#agent-output').textContent = 'Not connected to the gateway yet; try again in a moment.';
    return;
  }
  const question = document.createElement('div');
  question.className = 'message user';
  question.textContent = `${agent}: ${input}`;
  const view = createRunView({ modelLabel });
  $('#agent-output').append(question, view.element);
  trimChildren($('#agent-output'), 2 * maxShownRuns);
  $('#agent-run').disabled = true;
  void streamOverGateway({ type: 'agent-run', agent, input }, view).ended.then(() => {
    $('#agent-run').disabled = false;
  });
});
