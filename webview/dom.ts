// Small DOM builders. Everything is created with createElement/setAttribute (never innerHTML), so
// text from the store can never become markup, and no inline style is ever set (the CSP forbids it).

export type Child = Node | string | number | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | undefined>;

function append(node: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'number' ? String(child) : child);
  }
}

function setAttributes(node: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

export function button(label: Child, attributes: Attributes, onClick: (event: MouseEvent) => void): HTMLButtonElement {
  const node = h('button', { type: 'button', ...attributes }, label);
  node.addEventListener('click', onClick);
  return node;
}

/** A codicon-like glyph drawn with text, hidden from screen readers (the label says it). */
export const glyph = (text: string, className = 'glyph'): HTMLElement => h('span', { class: className, 'aria-hidden': 'true' }, text);

/** A short message for an empty, loading or failed part of a section: never a blank area. */
export function notice(kind: 'empty' | 'loading' | 'error', text: Child, ...extra: Child[]): HTMLElement {
  const role = kind === 'error' ? 'alert' : kind === 'loading' ? 'status' : undefined;
  return h('div', { class: `notice notice-${kind}`, role }, h('p', {}, text), ...extra);
}

/** The nodes of a list that builds some of them conditionally. */
export function present(items: ReadonlyArray<Node | null | undefined | false>): Node[] {
  return items.filter((n): n is Node => Boolean(n));
}
