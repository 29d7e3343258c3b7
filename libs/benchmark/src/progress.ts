import { formatDuration } from './duration';
import { humanizeDuration } from './format';
import { percentileOfSorted } from './sinks';

export interface ProgressState {
  elapsedMs: number;
  totalMs: number;
  requests: number;
  failures: number;
  dropped: number;
  vus: number;
  vusMax: number;
}

export interface ProgressOptions {
  /** Where progress goes (stderr), and whether it is a terminal (a redrawn bar) or a log (a line every `lineEveryMs`). */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  lineEveryMs?: number;
}

/**
 * Live progress of a run: on a terminal a bar redrawn in place, otherwise a line every few
 * seconds (CI logs). Rates and p95 cover the window since the previous line, so a stall shows
 * at once instead of being diluted by the whole run; p95 is measured from the scheduled start.
 */
export class Progress {
  private window = new Float64Array(4096);
  private windowCount = 0;
  private lastPrintMs = 0;
  private lastRequests = 0;
  private readonly tty: boolean;
  private readonly lineEveryMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.stream.isTTY === true;
    this.lineEveryMs = options.lineEveryMs ?? 5000;
  }

  /** One finished iteration's latency (ms from its scheduled start). */
  record(latencyMs: number): void {
    if (this.windowCount === this.window.length) {
      const grown = new Float64Array(this.window.length * 2);
      grown.set(this.window);
      this.window = grown;
    }
    this.window[this.windowCount++] = latencyMs;
  }

  update(state: ProgressState): void {
    if (!this.tty && state.elapsedMs - this.lastPrintMs < this.lineEveryMs) return;
    const line = this.render(state);
    this.options.stream.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  /** Ends the bar's line on a terminal. */
  finish(state: ProgressState): void {
    const line = this.render(state);
    this.options.stream.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  private render(s: ProgressState): string {
    const windowMs = Math.max(1, s.elapsedMs - this.lastPrintMs);
    const reqPerSec = ((s.requests - this.lastRequests) * 1000) / windowMs;
    const sorted = this.window.subarray(0, this.windowCount).sort();
    const p95 = this.windowCount > 0 ? humanizeDuration(percentileOfSorted(sorted, this.windowCount, 0.95)) : '-';
    const errors = s.requests > 0 ? ((100 * s.failures) / s.requests).toFixed(2) : '0.00';
    this.windowCount = 0;
    this.lastPrintMs = s.elapsedMs;
    this.lastRequests = s.requests;

    const time = `${formatDuration(Math.round(Math.min(s.elapsedMs, s.totalMs) / 100) * 100)}/${formatDuration(s.totalMs)}`;
    const stats = `${reqPerSec.toFixed(1)} req/s  p95 ${p95}  errors ${errors}% (${s.failures}/${s.requests})  dropped ${s.dropped}  VUs ${s.vus}/${s.vusMax}`;
    if (!this.tty) return `running (${time}): ${stats}`;
    const width = 24;
    const filled = Math.min(width, Math.round((width * s.elapsedMs) / Math.max(1, s.totalMs)));
    return `[${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] ${time}  ${stats}`;
  }
}
