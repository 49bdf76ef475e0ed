// The Python scratchpad and SQL over uploaded CSV or SQLite files.
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

$('#data-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('#data-file').files[0];
  if (!file) return;
  try {
    await api(`/api/tools/files?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: await file.arrayBuffer(),
      headers: { 'content-type': 'application/octet-stream' },
    });
    await refreshDataFiles(file.name);
  } catch (error) {
    $('#sql-output').innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
  }
});

export async function refreshDataFiles(select) {
  try {
    const { files } = await api('/api/tools/files');
    $('#data-files').replaceChildren(
      ...files.map((file) => {
        const option = document.createElement('option');
        option.value = file.name;
        option.textContent = file.name;
        option.selected = file.name === select;
        return option;
      }),
    );
  } catch {
    // The list stays as it was; the SQL run reports the error.
  }
}

$('#sql-run').addEventListener('click', async () => {
  const output = $('#sql-output');
  try {
    const result = await api('/api/tools/sql', {
      json: { file: $('#data-files').value, query: $('#sql-query').value },
    });
    const head = `<tr>${result.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
    const rows = result.rows
      .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
      .join('');
    output.innerHTML = `<table>${head}${rows}</table>`;
  } catch (error) {
    output.innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
  }
});
