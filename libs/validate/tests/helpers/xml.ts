export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/&/.test(raw.replace(ENTITY, ''))) throw new Error(`bare & in ${where}: ${raw}`);
  if (/</.test(raw)) throw new Error(`bare < in ${where}: ${raw}`);
  return raw.replace(ENTITY, (e) => {
    const body = e.slice(1, -1);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return ENTITIES[body];
  });
}

/**
 * A strict reader for the XML subset JUnit reports use (declaration, elements, attributes, text):
 * throws on anything not well-formed — unbalanced or crossed tags, unquoted or duplicate attributes,
 * a bare `<` or `&`, characters XML 1.0 forbids, more than one root.
 */
export function parseXml(xml: string): XmlElement {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml)) throw new Error('character not allowed in XML 1.0');
  const rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(rest))) {
    consumed = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (stack.length === 1 && text.trim() !== '') throw new Error(`text outside the root element: ${text}`);
      top.text += decode(text, `<${top.name}>`);
      continue;
    }
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attrs.matchAll(/\s+([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (key in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
      attributes[key] = decode(value, `${name}@${key}`);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element');
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (consumed !== rest.length) throw new Error(`not well-formed at: ${rest.slice(consumed, consumed + 40)}`);
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0];
}
