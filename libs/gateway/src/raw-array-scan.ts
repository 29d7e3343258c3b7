/**
 * The first array in a JSON text with more than `ceiling` items, found without parsing: one pass
 * over the characters that counts the commas directly inside each open array and stops at the
 * first array past the ceiling. JSON.parse of a 4 MB array of 2 million numbers takes longer
 * than the whole answer may; this refuses it after reading `ceiling` items. The text need not be
 * valid JSON (JSON.parse judges that next): garbage only ever makes this count fewer items.
 * Returns the character offset of the array's `[`, or undefined.
 */
export function arrayOverCeiling(text: string, ceiling: number): number | undefined {
  // Per open bracket: commas seen so far if it is an array, -1 if it is an object.
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
      commas.push(c === OPEN_ARRAY ? 0 : -1);
      opened.push(i);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      commas.pop();
      opened.pop();
    } else if (c === COMMA && commas.length > 0 && commas[commas.length - 1] >= 0) {
      // n commas separate n + 1 items.
      if (++commas[commas.length - 1] >= ceiling) return opened[opened.length - 1];
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
