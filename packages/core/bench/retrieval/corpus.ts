/**
 * The retrieval benchmark's corpus: real prose from the Markdown documentation (READMEs, guides) shipped inside
 * the npm packages installed under the repository's node_modules. Files are read in sorted path order, code
 * blocks, HTML and link targets are removed, and paragraphs are packed into passages of 25–75 words.
 * Duplicates are kept once: a passage is dropped when half or more of its word trigrams (or of the earlier
 * passage's, whichever has fewer) already occur in one earlier passage — the same README vendored at two
 * versions, a paragraph repeated under another option, a package's docs copied into another package. Without
 * this a query could have several equally right answers and the benchmark would count all but one as misses.
 * The same lockfile gives the same corpus.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Passage {
  /** `<package-relative path>:<n>`. */
  id: string;
  text: string;
}

const skipped = /^(changelog|history|license|licence|code_of_conduct|contributing|security)/i;

function markdownFiles(root: string, directory: string, found: string[]): void {
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) continue;
    // Workspace links lead back into this repository: only third-party documentation counts.
    if (stats.isDirectory()) {
      if (name !== '@agenticgen' && name !== '.bin') markdownFiles(root, path, found);
    } else if (name.toLowerCase().endsWith('.md') && !skipped.test(name) && stats.size >= 1024) found.push(path);
  }
}

function prose(markdown: string): string[] {
  const text = markdown
    .replace(/```[\s\S]*?```/g, '\n\n')
    .replace(/<[^>\n]+>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1');
  return text
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .split('\n')
        .filter((line) => !/^\s*(\||#|[-=*_]{3,}\s*$)/.test(line))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((block) => block.split(' ').length >= 6 && /[a-z]{3}/.test(block));
}

/** Word trigrams of a passage (lowercased letter/digit runs), the unit of near-duplicate detection. */
function trigrams(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const found = new Set<string>();
  for (let index = 0; index + 3 <= words.length; index++)
    found.add(`${words[index]} ${words[index + 1]} ${words[index + 2]}`);
  return [...found];
}

/** Share of trigrams above which a passage counts as a near-duplicate of an earlier one. */
export const nearDuplicateContainment = 0.5;

/** Remembers kept passages' trigrams; `isNearDuplicate` says whether a new text mostly repeats one of them. */
function createDuplicateFilter() {
  const holders = new Map<string, number[]>();
  const sizes: number[] = [];
  return {
    /** Whether `text` is a near-duplicate of a kept passage; if not, it is kept (remembered). */
    admit(text: string): boolean {
      const own = trigrams(text);
      const shared = new Map<number, number>();
      for (const trigram of own) {
        for (const holder of holders.get(trigram) ?? []) shared.set(holder, (shared.get(holder) ?? 0) + 1);
      }
      for (const [holder, count] of shared) {
        if (count / Math.max(1, Math.min(own.length, sizes[holder] as number)) >= nearDuplicateContainment) {
          return false;
        }
      }
      const position = sizes.length;
      sizes.push(own.length);
      for (const trigram of own) {
        const list = holders.get(trigram);
        if (list === undefined) holders.set(trigram, [position]);
        else list.push(position);
      }
      return true;
    },
  };
}

/** The Markdown files the corpus is read from (relative to node_modules), in order. */
export function corpusFiles(nodeModules: string): string[] {
  const files: string[] = [];
  markdownFiles(nodeModules, nodeModules, files);
  return files.map((file) => relative(nodeModules, file));
}

/**
 * Passages of the installed packages' documentation, at most `limit`. `files` pins the list (corpus-files.json),
 * so installing an unrelated package does not shift the corpus; a listed file that is missing or changed
 * changes the fingerprint the benchmark checks.
 */
export function buildCorpus(nodeModules: string, limit = 6_500, files = corpusFiles(nodeModules)): Passage[] {
  const passages: Passage[] = [];
  const duplicates = createDuplicateFilter();
  for (const name of files) {
    const file = join(nodeModules, name);
    if (statSync(file, { throwIfNoEntry: false }) === undefined) continue;
    let current: string[] = [];
    let count = 0;
    const flush = () => {
      const text = current.join(' ');
      current = [];
      if (text.split(' ').length < 25 || !duplicates.admit(text)) return;
      passages.push({ id: `${name}:${count++}`, text });
    };
    for (const block of prose(readFileSync(file, 'utf8'))) {
      for (const word of block.split(' ')) {
        current.push(word);
        if (current.length >= 75) flush();
      }
      if (current.length >= 25) flush();
    }
    flush();
    if (passages.length >= limit) break;
  }
  return passages.slice(0, limit);
}
