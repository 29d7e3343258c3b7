/**
 * k6's threshold expression grammar (k6 metrics/thresholds_parser.go):
 *
 *   assertion          -> aggregation_method whitespace* operator whitespace* float
 *   aggregation_method -> "count" | "rate" | "value" | "avg" | "min" | "max" | "med" | "p(" float ")"
 *   operator           -> ">" | ">=" | "<=" | "<" | "==" | "===" | "!="
 */

export type Operator = '<=' | '<' | '>=' | '>' | '===' | '==' | '!=';
export type AggregationMethod = 'value' | 'count' | 'rate' | 'avg' | 'min' | 'med' | 'max' | 'p';

export interface ThresholdExpression {
  source: string;
  method: AggregationMethod;
  /** The N of p(N), 0..100 (fractions allowed: p(99.9)). */
  percentile?: number;
  operator: Operator;
  value: number;
}

export class ThresholdError extends Error {
  override name = 'ThresholdError';
}

// Order matters, as in k6: the first operator found splits the expression, so two-character
// operators are tried before their one-character prefixes.
const OPERATORS: readonly Operator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const METHODS: readonly AggregationMethod[] = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'];

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

/** A number as Go's strconv.ParseFloat reads one (decimal, exponent, Inf, NaN; not hex floats). */
export function parseGoFloat(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const inf = INFINITY.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  return undefined;
}

/** The expression's key among a sink's aggregates: "p(99.9)", "avg", ... (k6 SinkKey). */
export function aggregateKey(e: ThresholdExpression): string {
  return e.method === 'p' ? `p(${e.percentile})` : e.method;
}

export function parseThresholdExpression(source: string): ThresholdExpression {
  let split: [string, Operator, string] | undefined;
  for (const op of OPERATORS) {
    const at = source.indexOf(op);
    if (at >= 0 && at + op.length < source.length) {
      split = [source.slice(0, at).trim(), op, source.slice(at + op.length).trim()];
      break;
    }
  }
  if (!split) {
    throw new ThresholdError(
      `malformed threshold expression "${source}": expected <aggregation> <operator> <number>, e.g. "p(95)<200" or "rate<0.01"`,
    );
  }
  const [left, operator, right] = split;

  let method: AggregationMethod;
  let percentile: number | undefined;
  if ((METHODS as readonly string[]).includes(left)) {
    method = left as AggregationMethod;
  } else if (left.startsWith('p(') && left.endsWith(')')) {
    const p = parseGoFloat(left.slice(2, -1));
    if (p === undefined) {
      throw new ThresholdError(`threshold expression "${source}": malformed percentile "${left}", expected p(N) with N a number, e.g. p(95) or p(99.9)`);
    }
    if (Number.isNaN(p) || p < 0 || p > 100) {
      throw new ThresholdError(`threshold expression "${source}": percentile ${left} is out of range, provide a number between 0 and 100`);
    }
    method = 'p';
    percentile = p;
  } else {
    throw new ThresholdError(
      `threshold expression "${source}": unknown aggregation "${left}" (use avg, min, max, med, p(N), rate, count or value)`,
    );
  }

  const value = parseGoFloat(right);
  if (value === undefined) {
    throw new ThresholdError(`threshold expression "${source}": "${right}" is not a number`);
  }
  return { source, method, percentile, operator, value };
}

/**
 * A threshold's metric name: `name` or `name{tag:value,...}` (k6 metrics.ParseMetricName); tag
 * keys and values are trimmed of spaces and quotes, as k6 does when it creates the submetric.
 */
export function parseMetricName(name: string): { metric: string; tags: [string, string][] } {
  const open = name.indexOf('{');
  const close = name.lastIndexOf('}');
  if (open < 0 && close < 0) return { metric: name, tags: [] };
  if (open < 0 || close < 0) throw new ThresholdError(`metric "${name}" has an unmatched curly brace`);
  if (close < open) throw new ThresholdError(`metric "${name}": the closing curly brace comes before the opening one`);
  if (close !== name.length - 1) throw new ThresholdError(`metric "${name}" must end with its closing curly brace`);
  const inner = name.slice(open + 1, close);
  if (inner.trim() === '') throw new ThresholdError(`metric "${name}": submetric criteria cannot be empty`);
  const tags: [string, string][] = [];
  for (const part of inner.split(',')) {
    const colon = part.indexOf(':');
    const value = colon < 0 ? '' : part.slice(colon + 1);
    if (value === '') throw new ThresholdError(`metric "${name}": tag expression "${part}" is malformed, expected key:value`);
    const unquote = (s: string) => s.trim().replace(/^["']+|["']+$/g, '');
    tags.push([unquote(part.slice(0, colon)), unquote(value)]);
  }
  return { metric: name.slice(0, open), tags };
}
