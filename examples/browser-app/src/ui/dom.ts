/** Attributes of `element`: strings become attributes, `on*` functions event listeners. */
type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/**
 * A tiny element builder. Text always goes in as text nodes (never HTML), so document content and model output
 * cannot inject markup into the page.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else if (typeof value === 'string') node.setAttribute(name, value);
  }
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

/** The element with `data-testid`, which must exist. */
export function byTestId<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T {
  const found = root.querySelector<T>(`[data-testid="${id}"]`);
  if (found === null) throw new Error(`[browser-app] element data-testid="${id}" is missing`);
  return found;
}

/** A short, readable message for any thrown value (AgenticGenErrors carry their code). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
