// The Python scratchpad: a named sandbox session whose variables persist between runs.
import { $, api, escapeHtml, state } from './shared.js';

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
