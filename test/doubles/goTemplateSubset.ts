// A small renderer for the subset of Go's text/template that Autodidact's Ollama templates use, so the
// Ollama double can build the prompt the way Ollama does: {{ range .Messages }}...{{ end }},
// {{ if eq .Role "x" }}...{{ end }}, {{ .Role }}, {{ .Content }}, and the {{- / -}} whitespace trims.
// Anything else is refused, so a template outside the subset fails the test instead of passing unread.
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: 'Role' | 'Content' }
  | { kind: 'range'; body: Node[] }
  | { kind: 'if'; role: string; body: Node[] };

export interface TemplateMessage { role: string; content: string }

function tokenize(template: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  let rest = template;
  while (rest.length) {
    const open = rest.indexOf('{{');
    if (open < 0) { out.push({ text: rest }); break; }
    let text = rest.slice(0, open);
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new Error('unclosed {{');
    let action = rest.slice(open + 2, close);
    rest = rest.slice(close + 2);
    if (action.startsWith('- ')) { text = text.replace(/\s+$/, ''); action = action.slice(1); }
    if (action.endsWith(' -')) { action = action.slice(0, -1); rest = rest.replace(/^\s+/, ''); }
    if (text) out.push({ text });
    out.push({ action: action.trim() });
  }
  return out;
}

function parse(tokens: ReturnType<typeof tokenize>, at = { i: 0 }, closing = false): Node[] {
  const nodes: Node[] = [];
  while (at.i < tokens.length) {
    const token = tokens[at.i++];
    if ('text' in token) { nodes.push({ kind: 'text', text: token.text }); continue; }
    const action = token.action;
    if (action === 'end') {
      if (!closing) throw new Error('{{ end }} without an opening action');
      return nodes;
    }
    if (action === '.Role' || action === '.Content') nodes.push({ kind: 'field', name: action.slice(1) as 'Role' | 'Content' });
    else if (action === 'range .Messages') nodes.push({ kind: 'range', body: parse(tokens, at, true) });
    else {
      const cond = /^if eq \.Role "([^"]*)"$/.exec(action);
      if (!cond) throw new Error(`template action outside the supported subset: {{ ${action} }}`);
      nodes.push({ kind: 'if', role: cond[1], body: parse(tokens, at, true) });
    }
  }
  if (closing) throw new Error('missing {{ end }}');
  return nodes;
}

export function renderGoTemplate(template: string, messages: TemplateMessage[]): string {
  const run = (nodes: Node[], message?: TemplateMessage): string => nodes.map((node) => {
    if (node.kind === 'text') return node.text;
    if (node.kind === 'range') return messages.map((m) => run(node.body, m)).join('');
    if (!message) throw new Error(`.${node.kind === 'field' ? node.name : 'Role'} used outside {{ range .Messages }}`);
    if (node.kind === 'field') return node.name === 'Role' ? message.role : message.content;
    return message.role === node.role ? run(node.body, message) : '';
  }).join('');
  return run(parse(tokenize(template)));
}
