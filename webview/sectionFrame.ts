// A collapsible section, like the views of VS Code's own side bar: a header button with
// aria-expanded (Enter and Space toggle it natively), a badge that stays visible when collapsed, and
// a body region that the section fills.
import { h } from './dom';

export type SectionId = 'overview' | 'categories' | 'patterns' | 'training' | 'lessons' | 'data';

export class SectionFrame {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly badge: HTMLElement;

  constructor(readonly id: SectionId, title: string, open: boolean, onToggle: (open: boolean) => void) {
    this.badge = h('span', { class: 'section-badge', id: `${id}-badge` });
    this.toggle = h('button', { type: 'button', class: 'section-toggle', id: `toggle-${id}`, 'aria-controls': `${id}-body` },
      h('span', { class: 'chevron', 'aria-hidden': 'true' }), h('span', { class: 'section-title' }, title), this.badge);
    this.toggle.addEventListener('click', () => {
      const next = this.toggle.getAttribute('aria-expanded') !== 'true';
      this.setOpen(next);
      onToggle(next);
    });
    this.body = h('div', { class: 'section-body', id: `${id}-body`, role: 'region', 'aria-labelledby': `toggle-${id}` });
    this.root = h('section', { class: 'section', id, 'data-section': id }, h('h2', { class: 'section-header' }, this.toggle), this.body);
    this.setOpen(open);
  }

  get open(): boolean { return this.toggle.getAttribute('aria-expanded') === 'true'; }

  setOpen(open: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(open));
    this.body.hidden = !open;
    this.root.classList.toggle('collapsed', !open);
  }

  setBadge(text: string, tone: 'plain' | 'up' | 'down' | 'warn' = 'plain'): void {
    this.badge.textContent = text;
    this.badge.className = `section-badge tone-${tone}`;
    this.badge.hidden = text === '';
  }

  setBody(nodes: Node[]): void {
    this.body.replaceChildren(...nodes);
  }
}
