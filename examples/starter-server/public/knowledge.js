// Knowledge: upload, list, delete and search documents.
import { $, api, escapeHtml } from './shared.js';

$('#upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const files = [...$('#upload-files').files];
  if (files.length === 0) return;
  const status = $('#upload-status');
  status.className = '';
  const kept = [];
  try {
    for (const file of files) {
      status.textContent = `uploading ${file.name}…`;
      // PDF and Word files go up as they are (the server reads them with core's loaders); text as JSON.
      const binary = /\.(pdf|docx)$/i.test(file.name);
      const json = binary ? undefined : { name: file.name, content: await file.text() };
      const post = (replace) =>
        json === undefined
          ? api(`/api/knowledge/documents?name=${encodeURIComponent(file.name)}${replace ? '&replace=1' : ''}`, {
              method: 'POST',
              body: file,
              headers: { 'content-type': file.type || 'application/octet-stream' },
            })
          : api('/api/knowledge/documents', { json: { ...json, replace } });
      try {
        await post(false);
      } catch (error) {
        // The server refuses a second document of the same name (409) unless asked to replace it.
        if (error.code !== 'already-exists') throw error;
        if (!confirm(`"${file.name}" is already in the knowledge base. Replace it?`)) {
          kept.push(file.name);
          continue;
        }
        await post(true);
      }
    }
    const uploaded = files.length - kept.length;
    status.textContent = `uploaded ${uploaded} file(s)${kept.length > 0 ? `; kept the existing ${kept.join(', ')}` : ''}`;
    $('#upload-files').value = '';
  } catch (error) {
    status.textContent = error.message;
    status.className = 'error';
  }
  refreshDocuments();
});

export async function refreshDocuments() {
  try {
    const { documents } = await api('/api/knowledge/documents');
    $('#documents').replaceChildren(
      ...documents.map((document_) => {
        const row = document.createElement('tr');
        row.innerHTML = `<td>${escapeHtml(document_.name)}</td><td>${escapeHtml(document_.mediaType)}</td><td>${
          document_.chunks
        }</td><td>${(document_.bytes / 1024).toFixed(1)} KB</td><td><button type="button">Delete</button></td>`;
        row.querySelector('button').addEventListener('click', async () => {
          await api(`/api/knowledge/documents/${encodeURIComponent(document_.id)}`, { method: 'DELETE' });
          refreshDocuments();
        });
        return row;
      }),
    );
  } catch (error) {
    $('#documents').innerHTML = `<tr><td colspan="5" class="error">${escapeHtml(error.message)}</td></tr>`;
  }
}

$('#search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = $('#search-query').value.trim();
  if (!query) return;
  try {
    const { results } = await api('/api/knowledge/search', { json: { query, topK: 5 } });
    $('#search-results').replaceChildren(
      ...results.map((result) => {
        const item = document.createElement('li');
        // Where the passage is: its page (PDF) or heading path (Markdown, HTML, Word), then its number.
        const place = [
          result.page === undefined ? '' : `page ${result.page}`,
          result.heading === undefined ? '' : escapeHtml(result.heading),
          `passage ${result.chunk + 1}`,
        ]
          .filter(Boolean)
          .join(' · ');
        item.innerHTML = `<span class="source">${escapeHtml(result.source)}</span> <span class="muted place">${place} · score ${result.score.toFixed(
          3,
        )}</span><div>${escapeHtml(result.text)}</div>`;
        return item;
      }),
    );
    if (results.length === 0) $('#search-results').innerHTML = '<li class="muted">no matches</li>';
  } catch (error) {
    $('#search-results').innerHTML = `<li class="error">${escapeHtml(error.message)}</li>`;
  }
});
