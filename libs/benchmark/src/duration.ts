/**
 * k6 durations: Go's `time.ParseDuration` ("1m30s", "500ms", "1.5s", "250us") plus k6's
 * extensions (lib/types ParseExtendedDuration): a leading day count ("2d", "1d12h") and bare
 * numbers meaning milliseconds ("100", or a JSON number).
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 MICRO SIGN
  'μs': 1e-3, // U+03BC GREEK SMALL LETTER MU, which Go also accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const BARE_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export class DurationError extends Error {
  override name = 'DurationError';
}

function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  GO_PART.lastIndex = 0;
  let total = 0;
  while (GO_PART.lastIndex < rest.length) {
    const m = GO_PART.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return sign * total;
}

/** Milliseconds of a k6 duration; `what` names the field in the error ("scenario.duration"). */
export function parseDuration(value: string | number, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DurationError(`${what}: ${value} is not a duration`);
    return value;
  }
  const text = value.trim();
  if (BARE_NUMBER.test(text)) return Number(text);
  const d = text.indexOf('d');
  let ms: number | undefined;
  if (d > 0 && /^[+-]?\d+$/.test(text.slice(0, d))) {
    const days = Number(text.slice(0, d));
    const rest = text.slice(d + 1);
    const hours = rest === '' ? 0 : parseGoDuration(rest);
    if (hours !== undefined && hours >= 0) ms = days * 86_400_000 + (days < 0 ? -hours : hours);
  } else if (d < 0) {
    ms = parseGoDuration(text);
  }
  if (ms === undefined) {
    throw new DurationError(`${what}: "${value}" is not a k6 duration (use e.g. "30s", "1m30s", "500ms", "2h")`);
  }
  return ms;
}

/** A duration the way Go prints it ("1m30s", "500ms"), for scenario descriptions. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${+ms.toFixed(3)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = +((ms % 60_000) / 1000).toFixed(3);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
