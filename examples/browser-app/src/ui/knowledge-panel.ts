import type { PersistentKnowledge } from '../knowledge/persistent-knowledge.js';
import { describeError, element } from './dom.js';

/**
 * Add, list, delete and search documents. The list and the index come back after a reload (IndexedDB).
 * `current()` is read on every action because "Forget everything" replaces the knowledge base.
 */
export function mountKnowledgePanel(
  container: HTMLElement,
  current: () => PersistentKnowledge,
  onReset: () => Promise<void>,
): () => void {
  const title = element('input', {
    placeholder: 'Title or URL (the source shown in citations)',
    'data-testid': 'document-title',
    required: true,
  });
  const content = element('textarea', {
    rows: '6',
    placeholder: 'Paste text or Markdown…',
    'data-testid': 'document-content',
    required: true,
  });
  const addStatus = element('p', { class: 'status', 'data-testid': 'document-status' });
  const list = element('ul', { class: 'documents', 'data-testid': 'document-list' });
  const restored = element('p', { class: 'muted small', 'data-testid': 'knowledge-restored' });
  const query = element('input', {
    type: 'search',
    placeholder: 'Search the knowledge base',
    'data-testid': 'search-query',
  });
  const results = element('ol', { class: 'results', 'data-testid': 'search-results' });

  const render = async () => {
    const knowledge = current();
    const documents = knowledge.knowledge.list();
    list.replaceChildren(
      ...documents.map((document) =>
        element(
          'li',
          { 'data-document': document.id },
          element('span', { class: 'doc-title' }, document.source),
          element(
            'span',
            { class: 'muted small' },
            ` · ${document.chunkCount} chunk${document.chunkCount === 1 ? '' : 's'}`,
          ),
          element(
            'button',
            { class: 'link', type: 'button', title: 'Delete', onclick: () => void remove(document.id) },
            '✕',
          ),
        ),
      ),
    );
    if (documents.length === 0) list.append(element('li', { class: 'muted' }, 'No documents yet.'));
    restored.textContent = `HNSW index: ${await knowledge.index.count()} vectors in IndexedDB · restored at start-up: ${knowledge.restoredDocuments} documents, ${knowledge.restoredVectors} vectors`;
  };
  const remove = async (id: string) => {
    await current().delete(id);
    await render();
  };
  /** Adds one document; its id is derived from the source, so adding the same title again replaces it. */
  const addDocument = async (source: string, text: string, format: 'text' | 'markdown' | 'html') => {
    const id =
      source
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60) || `doc-${Date.now()}`;
    const report = await current().add({ id, source, content: text, format });
    addStatus.textContent = report.unchanged
      ? `"${source}" is unchanged.`
      : `Added "${source}" (${report.chunks} chunk${report.chunks === 1 ? '' : 's'}), saved to IndexedDB.`;
  };
  const add = async () => {
    const source = title.value.trim();
    if (source === '' || content.value.trim() === '') return;
    addStatus.textContent = 'Adding…';
    try {
      await addDocument(source, content.value, /^#{1,6}\s/m.test(content.value) ? 'markdown' : 'text');
      title.value = '';
      content.value = '';
      await render();
    } catch (error) {
      addStatus.textContent = describeError(error);
    }
  };
  const upload = async (files: FileList | null) => {
    for (const file of files ?? []) {
      addStatus.textContent = `Adding ${file.name}…`;
      try {
        const format = /\.(md|markdown)$/i.test(file.name) ? 'markdown' : /\.html?$/i.test(file.name) ? 'html' : 'text';
        await addDocument(file.name, await file.text(), format);
      } catch (error) {
        addStatus.textContent = `${file.name}: ${describeError(error)}`;
      }
    }
    fileInput.value = '';
    await render();
  };
  const fileInput = element('input', {
    type: 'file',
    accept: '.txt,.md,.markdown,.html,.htm',
    multiple: true,
    'data-testid': 'document-file',
    'aria-label': 'Upload text, Markdown or HTML files',
    onchange: () => void upload(fileInput.files),
  });
  const search = async () => {
    if (query.value.trim() === '') return;
    try {
      const hits = await current().knowledge.search(query.value, { topK: 5 });
      results.replaceChildren(
        ...hits.map((hit) =>
          element(
            'li',
            {},
            element('cite', {}, `[${hit.id}] ${hit.source}`),
            element('span', { class: 'muted small' }, ` score ${hit.score.toFixed(4)}`),
            element('p', {}, hit.text.length > 240 ? `${hit.text.slice(0, 240)}…` : hit.text),
          ),
        ),
      );
      if (hits.length === 0) results.append(element('li', { class: 'muted' }, 'No matches.'));
    } catch (error) {
      results.replaceChildren(element('li', { class: 'error' }, describeError(error)));
    }
  };

  container.append(
    element('h2', {}, 'Knowledge'),
    element(
      'form',
      {
        class: 'stack',
        onsubmit: (event) => {
          event.preventDefault();
          void add();
        },
      },
      title,
      content,
      element('button', { type: 'submit', 'data-testid': 'document-add' }, 'Add document'),
      element('label', { class: 'muted small' }, 'or upload files: ', fileInput),
      addStatus,
    ),
    list,
    restored,
    element(
      'form',
      {
        class: 'row',
        onsubmit: (event) => {
          event.preventDefault();
          void search();
        },
      },
      query,
      element('button', { type: 'submit', 'data-testid': 'search-submit' }, 'Search'),
    ),
    results,
    element(
      'button',
      {
        type: 'button',
        class: 'link danger',
        'data-testid': 'knowledge-reset',
        onclick: () => void onReset().then(render),
      },
      'Forget all documents',
    ),
  );
  void render();
  return () => void render();
}
