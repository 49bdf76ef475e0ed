// SQL over uploaded CSV or SQLite files. The tables are read from the file itself (sqlite_master through the
// SQL endpoint), so the query offered names a table that exists: a CSV's table is named after the file.
import { $, api, escapeHtml, fillChoices } from './shared.js';

const listTablesQuery =
  "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name";
/** The query of the last table picked; a query the user edited is never replaced. */
let offeredQuery = '';

/** `SELECT * FROM "name" LIMIT 10`, the name quoted as an SQL identifier. */
export function previewQuery(table) {
  return `SELECT * FROM "${table.replaceAll('"', '""')}" LIMIT 10`;
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
    $('#data-file').value = '';
    await refreshDataFiles(file.name);
  } catch (error) {
    $('#sql-output').innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
  }
});

$('#data-files').addEventListener('change', () => refreshTables());

/** Lists the uploaded files (selecting `select`, else keeping the current choice) and the chosen file's tables. */
export async function refreshDataFiles(select) {
  const chooser = $('#data-files');
  const current = select ?? chooser.value;
  try {
    const { files } = await api('/api/tools/files');
    fillChoices(
      chooser,
      files.map((file) => file.name),
      current,
    );
  } catch {
    // The list stays as it was; the SQL run reports the error.
  }
  await refreshTables();
}

async function refreshTables() {
  const file = $('#data-files').value;
  const list = $('#sql-tables');
  const status = $('#sql-tables-status');
  list.replaceChildren();
  if (!file) {
    status.textContent = '(upload a file first)';
    return;
  }
  status.textContent = `of ${file}: loading…`;
  try {
    const { rows } = await api('/api/tools/sql', { json: { file, query: listTablesQuery } });
    if (file !== $('#data-files').value) return; // another file was picked meanwhile
    const tables = rows.map((row) => String(row[0]));
    status.textContent = tables.length === 0 ? `of ${file}: none` : `of ${file}:`;
    list.replaceChildren(
      ...tables.map((table) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'chip';
        button.dataset.table = table;
        button.textContent = table;
        button.addEventListener('click', () => {
          offerQuery(previewQuery(table));
          runSql();
        });
        item.append(button);
        return item;
      }),
    );
    const query = $('#sql-query').value.trim();
    const untouched = query === '' || query === offeredQuery;
    if (tables[0] !== undefined && untouched) offerQuery(previewQuery(tables[0]));
  } catch (error) {
    status.textContent = `of ${file}: ${error.message}`;
  }
}

function offerQuery(query) {
  offeredQuery = query;
  $('#sql-query').value = query;
}

$('#sql-run').addEventListener('click', runSql);

async function runSql() {
  const output = $('#sql-output');
  output.dataset.state = 'running';
  try {
    const result = await api('/api/tools/sql', {
      json: { file: $('#data-files').value, query: $('#sql-query').value },
    });
    const head = `<tr>${result.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
    const rows = result.rows
      .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
      .join('');
    const note = result.truncated ? '<p class="muted">first rows only</p>' : '';
    output.innerHTML = `<div class="scroll"><table>${head}${rows}</table></div>${note}`;
    output.dataset.state = 'ok';
  } catch (error) {
    output.innerHTML = `<span class="err">${escapeHtml(error.message)}</span>`;
    output.dataset.state = 'error';
  }
}
