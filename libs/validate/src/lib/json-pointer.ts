/** Appends one reference token to a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** How a pointer reads in a message: the whole document is "" in RFC 6901, which reads as nothing. */
export function showPointer(pointer: string): string {
  return pointer === '' ? '/ (the whole document)' : pointer;
}

/**
 * The value a local reference (`#`, `#/definitions/Instance`) points to in a document,
 * or undefined when it points nowhere.
 */
export function resolveLocalRef(document: unknown, ref: string): unknown {
  if (ref === '#' || ref === '') return document;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
