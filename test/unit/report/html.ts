/**
 * HTML inspection for the email tests, with parse5 (the WHATWG parsing algorithm browsers use),
 * so "no injected element" is judged the way an email client's engine would parse the markup.
 * parse5 comes with mjml (through cheerio), it is not a direct dependency.
 */
import { parse } from 'parse5';

interface Node {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  value?: string;
  data?: string;
  childNodes?: Node[];
  content?: Node;
}

function children(node: Node): Node[] {
  return [...(node.childNodes ?? []), ...(node.content?.childNodes ?? [])];
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

export interface ParsedEmail {
  /** Every element as tag[attribute names], and every comment, in document order. */
  readonly structure: string[];
  readonly elements: { tag: string; attrs: Record<string, string> }[];
  /** Visible text of the body, zero-width spaces removed, whitespace collapsed. */
  readonly bodyText: string;
}

export function parseEmail(html: string): ParsedEmail {
  const doc = parse(html) as unknown as Node;
  const structure: string[] = [];
  const elements: ParsedEmail['elements'] = [];
  walk(doc, (n) => {
    if (n.tagName) {
      const attrs = Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value]));
      elements.push({ tag: n.tagName, attrs });
      structure.push(`${n.tagName}[${Object.keys(attrs).sort().join(',')}]`);
    } else if (n.nodeName === '#comment') {
      structure.push(`#comment ${n.data ?? ''}`);
    }
  });
  const body = elements.length > 0 ? findBody(doc) : undefined;
  const parts: string[] = [];
  if (body) {
    walkText(body, parts);
  }
  return {
    structure,
    elements,
    bodyText: parts
      .join(' ')
      .replace(/\u200b/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  };
}

function findBody(doc: Node): Node | undefined {
  let body: Node | undefined;
  walk(doc, (n) => {
    if (!body && n.tagName === 'body') body = n;
  });
  return body;
}

function walkText(node: Node, out: string[]): void {
  if (node.nodeName === '#text') out.push(node.value ?? '');
  if (node.tagName === 'style' || node.tagName === 'script' || node.tagName === 'title') return;
  for (const child of children(node)) walkText(child, out);
}
