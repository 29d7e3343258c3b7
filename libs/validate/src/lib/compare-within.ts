import { childPointer, showPointer } from './json-pointer';

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Where `actual` differs from `expected`, as `<pointer>: ...` lines; numbers are equal when they
 * differ by at most `tolerance` (absolute), everything else must be identical.
 */
export function differences(expected: unknown, actual: unknown, tolerance: number, limit = 10): string[] {
  const found: string[] = [];
  const walk = (e: unknown, a: unknown, pointer: string): void => {
    if (found.length >= limit) return;
    if (typeof e === 'number' && typeof a === 'number') {
      if (Math.abs(e - a) > tolerance) found.push(`${showPointer(pointer)}: expected ${e}, got ${a} (tolerance ${tolerance})`);
      return;
    }
    if (kind(e) !== kind(a)) {
      found.push(`${showPointer(pointer)}: expected ${kind(e)} ${JSON.stringify(e)}, got ${kind(a)} ${JSON.stringify(a)}`);
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      if (e.length !== a.length) found.push(`${showPointer(pointer)}: expected ${e.length} elements, got ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i++) walk(e[i], a[i], childPointer(pointer, i));
      return;
    }
    if (e !== null && typeof e === 'object') {
      const eo = e as Record<string, unknown>;
      const ao = a as Record<string, unknown>;
      for (const key of Object.keys(eo)) {
        if (!(key in ao)) found.push(`${showPointer(childPointer(pointer, key))}: missing (expected ${JSON.stringify(eo[key])})`);
        else walk(eo[key], ao[key], childPointer(pointer, key));
      }
      for (const key of Object.keys(ao)) {
        if (!(key in eo)) found.push(`${showPointer(childPointer(pointer, key))}: unexpected (got ${JSON.stringify(ao[key])})`);
      }
      return;
    }
    if (e !== a) found.push(`${showPointer(pointer)}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
  };
  walk(expected, actual, '');
  return found.slice(0, limit);
}
