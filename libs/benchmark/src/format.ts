import type { MetricType, ValueContains } from './sinks';

/** Up to `digits` decimals, truncated (not rounded, as k6's summary does), trailing zeros dropped. */
function truncated(value: number, digits: number): string {
  const scale = 10 ** digits;
  return String(Math.trunc(value * scale) / scale);
}

/** A time in ms the way k6's summary prints it: 0s, 850ns, 152.2µs, 1.23ms, 2.5s, 1m30s, 1h2m3s. */
export function humanizeDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${humanizeDuration(-ms)}`;
  if (ms < 0.001) return `${Math.trunc(ms * 1e6)}ns`;
  if (ms < 1) return `${truncated(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncated(ms, 2)}ms`;
  const minutes = Math.trunc(ms / 60_000);
  const seconds = `${truncated((ms % 60_000) / 1000, minutes > 0 ? 0 : 2)}s`;
  if (minutes === 0) return seconds;
  const hours = Math.trunc(minutes / 60);
  return hours === 0 ? `${minutes}m${seconds}` : `${hours}h${minutes % 60}m${seconds}`;
}

/** Bytes in SI units, one decimal below 10 (k6: "4.2 kB", "120 kB"). */
export function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  const e = Math.min(units.length - 1, Math.floor(Math.log(bytes) / Math.log(1000)));
  const value = Math.floor((bytes / 1000 ** e) * 10 + 0.5) / 10;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[e]}`;
}

/** A rate as a percentage, truncated to two decimals (k6 prints 99.99%, never a rounded 100.00%). */
export function humanizeRate(rate: number): string {
  return `${(Math.trunc(rate * 10_000) / 100).toFixed(2)}%`;
}

/** One aggregate of a metric, in the metric's unit. */
export function humanizeValue(value: number, metric: { type: MetricType; contains: ValueContains }, aggregate?: string): string {
  if (metric.type === 'rate' && (aggregate === undefined || aggregate === 'rate')) return humanizeRate(value);
  if (aggregate === 'passes' || aggregate === 'fails') return String(value);
  if (metric.contains === 'data') return aggregate === 'rate' ? `${humanizeBytes(value)}/s` : humanizeBytes(value);
  if (aggregate === 'count') return String(value);
  if (metric.contains === 'time') return humanizeDuration(value);
  if (aggregate === 'rate') return `${truncated(value, 2)}/s`;
  return truncated(value, 6);
}
