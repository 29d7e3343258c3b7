import { performance } from 'node:perf_hooks';
import { MetricRegistry, type Metric, type Tags } from '../metrics';
import type { Progress, ProgressState } from '../progress';
import type { ScenarioPlan } from '../scenario';
import { arrivalSchedule } from '../schedule';
import { evaluateThresholds, type MetricThresholds } from '../thresholds/thresholds';
import type { TimelineRecorder } from '../timeline';
import { FreeVUs } from './free-vus';
import { HttpTarget, type ConnectionTiming } from './http-target';
import { startWarmUpTarget, WARM_UP_PLAN } from './warm-up';

export interface EmbeddedRunOptions {
  url: string;
  token: string;
  /** Serialized example requests: each VU goes round them by its own iteration count (k6's __ITER). */
  bodies: Buffer[];
  plan: ScenarioPlan;
  /** Parsed thresholds: abortOnFail ones are evaluated during the run. */
  thresholds: MetricThresholds[];
  progress?: Progress;
  /** Aborting stops the run at once, like Ctrl-C in k6; the summary still comes out. */
  signal?: AbortSignal;
  /** Per-second buckets of the completed requests, for the HTML report. */
  timeline?: TimelineRecorder;
}

export interface CheckResult {
  name: string;
  passes: number;
  fails: number;
}

export interface EmbeddedRunResult {
  registry: MetricRegistry;
  checks: CheckResult[];
  startedAt: Date;
  testRunDurationMs: number;
  /** Why the run stopped before its end, if it did. */
  aborted?: string;
}

/** Checks every iteration makes, named as in the generated load/k6.js. */
export const CHECK_STATUS_200 = 'status is 200';
export const CHECK_BODY_JSON = 'body is valid JSON';

/** k6 evaluates thresholds every 2s during the run (metrics/engine thresholdsRate). */
const THRESHOLDS_EVERY_MS = 2000;
/** k6 samples the vus and vus_max gauges every second. */
const SAMPLE_EVERY_MS = 1000;

/** Runs one scenario against the preview and returns its metrics. */
export async function runEmbedded(options: EmbeddedRunOptions): Promise<EmbeddedRunResult> {
  // A warm-up that fails (no loopback port) only leaves the first run cold: not worth failing it.
  if (!options.signal?.aborted) await (warmedUp ??= warmUp(options.bodies).catch(() => undefined));
  return new EmbeddedRun(options).start();
}

let warmedUp: Promise<void> | undefined;

/**
 * V8 compiles a function on its first call and optimizes it after many: in a fresh process the
 * first requests of a run carried milliseconds of the engine's own compilation inside
 * http_req_duration (the median of the first ten 1.4-3.7 ms, the first alone 10-13 ms, against
 * 0.74-0.85 ms in a second run of the same process, on this 2-core machine under load), which
 * k6, compiled ahead of time, does not: at 300 samples a run those few are p99. So once per process,
 * before the first run's clock starts, the same code (undici, Exchange, the metrics) runs against a
 * throwaway server of its own: the preview receives only measured requests.
 */
async function warmUp(bodies: Buffer[]): Promise<void> {
  const target = await startWarmUpTarget();
  try {
    await new EmbeddedRun({ url: target.url, token: 'warm-up', bodies, plan: WARM_UP_PLAN, thresholds: [] }).start();
  } finally {
    await target.close();
  }
}

/**
 * One request of one iteration, timed in k6's phases. It implements undici's core handler interface
 * (onConnect ... onComplete): undici's Request calls these directly, and only these report when the
 * request is written on a connected socket (onConnect), fully sent (onRequestSent) and when the
 * response's first byte arrived (onResponseStarted); the newer handler interface has no "sent" or
 * "first byte" event and is adapted onto this one with a per-response header parse.
 */
class Exchange {
  status = 0;
  /** The request is about to be written on a connected socket: k6's sending starts. */
  sendingAt = 0;
  sentAt = 0;
  firstByteAt = 0;
  /** Set when this request opened its connection. */
  connection: ConnectionTiming | undefined;
  chunks: Buffer[] = [];

  constructor(
    private readonly run: EmbeddedRun,
    private readonly target: HttpTarget,
    /** The VU running this iteration: its connection carries the request. */
    readonly vu: number,
    readonly scheduledAt: number,
    /** Handed to the connection pool: k6's blocked starts. */
    readonly dispatchedAt: number,
  ) {}

  onConnect(): void {
    this.sendingAt = performance.now();
    this.connection = this.target.takeNewConnection();
  }

  onRequestSent(): void {
    this.sentAt = performance.now();
  }

  onResponseStarted(): void {
    this.firstByteAt = performance.now();
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.run.complete(this, false);
  }

  onError(): void {
    this.run.complete(this, true);
  }
}

function isJson(chunks: Buffer[]): boolean {
  if (chunks.length === 0) return false;
  try {
    JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

class EmbeddedRun {
  private readonly registry = new MetricRegistry();
  private readonly m: Record<
    | 'httpReqs'
    | 'failed'
    | 'duration'
    | 'blocked'
    | 'connecting'
    | 'tlsHandshaking'
    | 'sending'
    | 'waiting'
    | 'receiving'
    | 'iterations'
    | 'iterationDuration'
    | 'fromSchedule'
    | 'dropped'
    | 'checks'
    | 'vus'
    | 'vusMax'
    | 'dataSent'
    | 'dataReceived',
    Metric
  >;
  private readonly checks = { status: { passes: 0, fails: 0 }, json: { passes: 0, fails: 0 } };
  private readonly target: HttpTarget;
  private readonly plan: ScenarioPlan;
  private readonly abortThresholds: MetricThresholds[];
  /** Tags are only built per request when some threshold needs a submetric. */
  private readonly tagged: boolean;
  private readonly maxVUs: number;

  private t0 = 0;
  private startedAt = new Date();
  /** VUs waiting for an arrival-rate iteration (constant-vus VUs loop and never wait). */
  private readonly free: FreeVUs;
  private busy = 0;
  private allocated = 0;
  private allocating = false;
  private requests = 0;
  private failures = 0;
  private stopping = false;
  private finished = false;
  private aborted: string | undefined;
  private nextAt = 0;
  private nextArrival: () => number = () => Infinity;
  private timers = new Set<NodeJS.Timeout>();
  private readonly onAbort = () => this.interrupt('the run was interrupted');
  private resolve!: (r: EmbeddedRunResult) => void;
  private reject!: (e: Error) => void;

  constructor(private readonly options: EmbeddedRunOptions) {
    this.plan = options.plan;
    this.maxVUs = this.plan.executor === 'constant-vus' ? this.plan.vus : this.plan.maxVUs;
    this.free = new FreeVUs(this.plan.executor === 'constant-vus' ? 0 : this.plan.preAllocatedVUs);
    this.target = new HttpTarget(options.url, options.token, options.bodies);
    for (const t of options.thresholds) {
      if (t.tags.length > 0) this.registry.addSubmetric(t.name, t.metric, t.tags);
    }
    const r = this.registry;
    this.m = {
      httpReqs: r.metric('http_reqs'),
      failed: r.metric('http_req_failed'),
      duration: r.metric('http_req_duration'),
      blocked: r.metric('http_req_blocked'),
      connecting: r.metric('http_req_connecting'),
      tlsHandshaking: r.metric('http_req_tls_handshaking'),
      sending: r.metric('http_req_sending'),
      waiting: r.metric('http_req_waiting'),
      receiving: r.metric('http_req_receiving'),
      iterations: r.metric('iterations'),
      iterationDuration: r.metric('iteration_duration'),
      fromSchedule: r.metric('iteration_latency_from_schedule'),
      dropped: r.metric('dropped_iterations'),
      checks: r.metric('checks'),
      vus: r.metric('vus'),
      vusMax: r.metric('vus_max'),
      dataSent: r.metric('data_sent'),
      dataReceived: r.metric('data_received'),
    };
    this.tagged = Object.values(this.m).some((metric) => metric.tagged);
    this.abortThresholds = options.thresholds.filter((t) => t.thresholds.some((th) => th.abortOnFail));
  }

  start(): Promise<EmbeddedRunResult> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.startedAt = new Date();
      this.t0 = performance.now();
      const { signal } = this.options;
      if (signal?.aborted) return this.interrupt('the run was interrupted before it started');
      signal?.addEventListener('abort', this.onAbort, { once: true });

      this.every(SAMPLE_EVERY_MS, () => this.sample());
      if (this.abortThresholds.length > 0) this.every(THRESHOLDS_EVERY_MS, () => this.checkAbortThresholds());

      if (this.plan.executor === 'constant-vus') {
        this.allocated = this.plan.vus;
        this.sample();
        for (let vu = 0; vu < this.plan.vus; vu++) {
          this.busy++;
          this.iterate(vu, 0);
        }
        this.after(this.plan.durationMs, () => this.stop());
      } else {
        this.allocated = this.plan.preAllocatedVUs;
        this.sample();
        this.nextArrival = arrivalSchedule(this.plan);
        this.nextAt = this.nextArrival();
        this.tick();
      }
    });
  }

  private elapsed(): number {
    return performance.now() - this.t0;
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    this.timers.add(timer);
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  /** Starts every iteration that is due, then sleeps until the next one is. */
  private tick(): void {
    if (this.stopping) return;
    const now = this.elapsed();
    while (this.nextAt <= now) {
      this.arrive(this.nextAt);
      this.nextAt = this.nextArrival();
    }
    if (this.nextAt === Infinity) this.after(this.plan.durationMs - now, () => this.stop());
    else this.after(this.nextAt - now, () => this.tick());
  }

  /**
   * An iteration is due: it starts on a free VU, or is dropped when none is free (k6
   * dropped_iterations), and then one more VU is allocated in the background if maxVUs allows.
   */
  private arrive(scheduledAt: number): void {
    const vu = this.free.take();
    if (vu !== undefined) {
      this.busy++;
      this.iterate(vu, scheduledAt);
      return;
    }
    this.m.dropped.add(1, this.tagged ? { scenario: 'default' } : undefined);
    if (this.allocating || this.allocated >= this.maxVUs) return;
    this.allocating = true;
    setImmediate(() => {
      this.allocating = false;
      if (this.stopping) return;
      this.free.giveBack(this.allocated++);
      this.m.vusMax.add(this.allocated);
    });
  }

  private iterate(vu: number, scheduledAt: number): void {
    const now = performance.now();
    // constant-vus has no schedule: an iteration is due when its VU is free.
    const scheduled = this.plan.executor === 'constant-vus' ? now : this.t0 + scheduledAt;
    this.target.send(vu, new Exchange(this, this.target, vu, scheduled, now));
  }

  complete(ex: Exchange, networkError: boolean): void {
    if (this.finished) return;
    const end = performance.now();
    const status = networkError ? 0 : ex.status;
    // k6's default expected statuses are 200-399; anything else, or no response, is a failed request.
    const failed = status < 200 || status >= 400;
    const tags: Tags | undefined = this.tagged
      ? { status: String(status), method: 'POST', name: this.target.url, url: this.target.url, expected_response: String(!failed), scenario: 'default' }
      : undefined;
    const m = this.m;
    this.requests++;
    if (failed) this.failures++;
    m.httpReqs.add(1, tags);
    m.failed.add(failed ? 1 : 0, tags);
    // k6's phases: blocked until a connection is at hand (or until a new one starts connecting),
    // then connecting and TLS, then sending + waiting (to the first byte) + receiving = duration.
    // A request never written (the connection failed) has a zero duration, as in k6.
    const conn = ex.connection;
    const sendingAt = ex.sendingAt || end;
    const sentAt = ex.sentAt || sendingAt;
    const firstByteAt = ex.firstByteAt || end;
    m.blocked.add(Math.max(0, (conn ? conn.startedAt : sendingAt) - ex.dispatchedAt), tags);
    m.connecting.add(conn ? conn.connectingMs : 0, tags);
    m.tlsHandshaking.add(conn ? conn.tlsHandshakingMs : 0, tags);
    m.sending.add(sentAt - sendingAt, tags);
    m.waiting.add(Math.max(0, firstByteAt - sentAt), tags);
    m.receiving.add(end - Math.max(firstByteAt, sentAt), tags);
    m.duration.add(end - sendingAt, tags);
    this.check(this.checks.status, CHECK_STATUS_200, status === 200);
    this.check(this.checks.json, CHECK_BODY_JSON, !networkError && isJson(ex.chunks));
    const scenarioTags = this.tagged ? { scenario: 'default' } : undefined;
    m.iterations.add(1, scenarioTags);
    m.iterationDuration.add(end - ex.dispatchedAt, scenarioTags);
    m.fromSchedule.add(end - ex.scheduledAt, scenarioTags);
    this.options.progress?.record(end - ex.scheduledAt);
    this.options.timeline?.record(end - this.t0, end - sendingAt, failed);
    this.release(ex.vu);
  }

  private check(counts: { passes: number; fails: number }, name: string, ok: boolean): void {
    if (ok) counts.passes++;
    else counts.fails++;
    this.m.checks.add(ok ? 1 : 0, this.tagged ? { check: name, scenario: 'default' } : undefined);
  }

  private release(vu: number): void {
    if (this.plan.executor === 'constant-vus' && !this.stopping) {
      this.iterate(vu, 0);
      return;
    }
    this.busy--;
    this.free.giveBack(vu);
    if (this.stopping && this.busy === 0) this.finish();
  }

  /** The scenario's duration is over: no new iterations; running ones get gracefulStop to end. */
  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.busy === 0) return this.finish();
    this.after(this.plan.gracefulStopMs, () => this.finish());
  }

  private interrupt(reason: string): void {
    if (this.finished) return;
    this.aborted = reason;
    this.stopping = true;
    this.finish();
  }

  private sample(): void {
    this.m.vus.add(this.busy);
    this.m.vusMax.add(this.allocated);
    this.options.progress?.update(this.progressState());
  }

  private progressState(): ProgressState {
    const dropped = this.m.dropped.sink.type === 'counter' ? this.m.dropped.sink.value : 0;
    return {
      elapsedMs: this.elapsed(),
      totalMs: this.plan.durationMs,
      requests: this.requests,
      failures: this.failures,
      dropped,
      vus: this.busy,
      vusMax: this.allocated,
    };
  }

  private checkAbortThresholds(): void {
    const outcome = evaluateThresholds(this.abortThresholds, (name) => this.registry.sink(name), this.elapsed(), true);
    if (outcome.shouldAbort) {
      this.interrupt(`thresholds on metrics '${outcome.breached.join(', ')}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
    }
  }

  /** Ends the run: iterations still in flight are interrupted and not counted, as in k6. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const testRunDurationMs = this.elapsed();
    this.m.dataSent.add(this.target.bytesSent());
    this.m.dataReceived.add(this.target.bytesReceived());
    this.m.vus.add(this.busy);
    this.m.vusMax.add(this.allocated);
    this.options.progress?.finish(this.progressState());
    const result: EmbeddedRunResult = {
      registry: this.registry,
      checks: [
        { name: CHECK_STATUS_200, ...this.checks.status },
        { name: CHECK_BODY_JSON, ...this.checks.json },
      ],
      startedAt: this.startedAt,
      testRunDurationMs,
      aborted: this.aborted,
    };
    this.target.destroy().then(
      () => this.resolve(result),
      (e: Error) => this.reject(e),
    );
  }
}
