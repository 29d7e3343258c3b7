/** An array or object found past the ceiling: where it opens (a character offset) and which it is. */
export interface OversizedContainer {
  offset: number;
  kind: 'array' | 'object';
}

/**
 * The first array or object in a JSON text with more than `ceiling` items or members, found
 * without parsing: one pass over the characters that counts the commas directly inside each open
 * bracket and stops at the first one past the ceiling. JSON.parse of a 4 MB array of 2 million
 * numbers, or of an object with a million keys, takes longer than the whole answer may; this
 * refuses them after reading `ceiling` items. The text need not be valid JSON (JSON.parse judges
 * that next): garbage only ever makes this count fewer items, since commas inside strings are skipped.
 */
export function oversizedContainer(text: string, ceiling: number): OversizedContainer | undefined {
  // Per open bracket: commas seen so far, and where it opened.
  const commas: number[] = [];
  const opened: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      commas.push(0);
      opened.push(i);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      commas.pop();
      opened.pop();
    } else if (c === COMMA && commas.length > 0) {
      // n commas separate n + 1 items.
      if (++commas[commas.length - 1] >= ceiling) {
        const offset = opened[opened.length - 1];
        return { offset, kind: text.charCodeAt(offset) === OPEN_ARRAY ? 'array' : 'object' };
      }
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
