import { newSink, type MetricType, type Sink, type ValueContains } from './sinks';

export interface MetricDefinition {
  type: MetricType;
  contains: ValueContains;
}

/**
 * The metrics the embedded engine records: k6's built-in names, types and units (k6
 * metrics/builtin.go), plus one of ours. The request phases are k6's: `http_req_duration` =
 * sending + waiting + receiving, from the moment the request is written on a connected socket;
 * blocked (waiting for a connection), connecting and TLS handshaking are reported apart and are not
 * part of it. `iteration_latency_from_schedule` is measured from the moment the open model
 * scheduled the iteration, so time an iteration spent waiting to start (a saturated load
 * generator) counts too instead of being hidden (coordinated omission).
 */
export const EMBEDDED_METRICS: Readonly<Record<string, MetricDefinition>> = {
  vus: { type: 'gauge', contains: 'default' },
  vus_max: { type: 'gauge', contains: 'default' },
  iterations: { type: 'counter', contains: 'default' },
  iteration_duration: { type: 'trend', contains: 'time' },
  dropped_iterations: { type: 'counter', contains: 'default' },
  checks: { type: 'rate', contains: 'default' },
  http_reqs: { type: 'counter', contains: 'default' },
  http_req_failed: { type: 'rate', contains: 'default' },
  http_req_duration: { type: 'trend', contains: 'time' },
  http_req_blocked: { type: 'trend', contains: 'time' },
  http_req_connecting: { type: 'trend', contains: 'time' },
  http_req_tls_handshaking: { type: 'trend', contains: 'time' },
  http_req_sending: { type: 'trend', contains: 'time' },
  http_req_waiting: { type: 'trend', contains: 'time' },
  http_req_receiving: { type: 'trend', contains: 'time' },
  data_sent: { type: 'counter', contains: 'data' },
  data_received: { type: 'counter', contains: 'data' },
  iteration_latency_from_schedule: { type: 'trend', contains: 'time' },
};

/** k6's other built-ins: known to the k6 engine, so thresholds on them are type-checked there too. */
export const K6_ONLY_METRICS: Readonly<Record<string, MetricDefinition>> = {
  group_duration: { type: 'trend', contains: 'time' },
};

const HTTP_TAGS = ['status', 'method', 'name', 'url', 'expected_response', 'scenario'] as const;

/** Tags the embedded engine attaches to each metric's samples, usable in submetric thresholds. */
export const EMBEDDED_TAGS: Readonly<Record<string, readonly string[]>> = {
  http_reqs: HTTP_TAGS,
  http_req_failed: HTTP_TAGS,
  http_req_duration: HTTP_TAGS,
  http_req_blocked: HTTP_TAGS,
  http_req_connecting: HTTP_TAGS,
  http_req_tls_handshaking: HTTP_TAGS,
  http_req_sending: HTTP_TAGS,
  http_req_waiting: HTTP_TAGS,
  http_req_receiving: HTTP_TAGS,
  checks: ['check', 'scenario'],
  iterations: ['scenario'],
  iteration_duration: ['scenario'],
  iteration_latency_from_schedule: ['scenario'],
  dropped_iterations: ['scenario'],
};

export type Tags = Readonly<Record<string, string>>;

/** A submetric: the samples of its parent whose tags match every `key:value` it names. */
export class Submetric {
  readonly sink: Sink;
  constructor(
    readonly name: string,
    readonly parent: Metric,
    readonly tags: ReadonlyArray<readonly [string, string]>,
  ) {
    this.sink = newSink(parent.type);
  }

  matches(tags: Tags): boolean {
    for (const [key, value] of this.tags) if (tags[key] !== value) return false;
    return true;
  }
}

export class Metric {
  readonly sink: Sink;
  readonly submetrics: Submetric[] = [];
  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly contains: ValueContains,
  ) {
    this.sink = newSink(type);
  }

  /** `tags` is only needed when the metric has submetrics (see `Metric.tagged`). */
  add(value: number, tags?: Tags): void {
    this.sink.add(value);
    if (tags === undefined) return;
    for (const sub of this.submetrics) if (sub.matches(tags)) sub.sink.add(value);
  }

  get tagged(): boolean {
    return this.submetrics.length > 0;
  }
}

/** The metrics of one run, by name; submetrics are looked up by their full name too. */
export class MetricRegistry {
  private readonly metrics = new Map<string, Metric>();
  private readonly subs = new Map<string, Submetric>();

  constructor(definitions: Readonly<Record<string, MetricDefinition>> = EMBEDDED_METRICS) {
    for (const [name, def] of Object.entries(definitions)) this.metrics.set(name, new Metric(name, def.type, def.contains));
  }

  metric(name: string): Metric {
    const m = this.metrics.get(name);
    if (!m) throw new Error(`unknown metric ${name}`);
    return m;
  }

  /** The sink behind a metric or submetric name ("http_req_duration{status:200}"). */
  sink(name: string): Sink | undefined {
    return this.metrics.get(name)?.sink ?? this.subs.get(name)?.sink;
  }

  addSubmetric(fullName: string, parent: string, tags: ReadonlyArray<readonly [string, string]>): Submetric {
    const existing = this.subs.get(fullName);
    if (existing) return existing;
    const metric = this.metric(parent);
    const sub = new Submetric(fullName, metric, tags);
    metric.submetrics.push(sub);
    this.subs.set(fullName, sub);
    return sub;
  }

  /** Every metric and submetric as [name, metric type, unit, sink]. */
  *entries(): Generator<[string, MetricType, ValueContains, Sink]> {
    for (const m of this.metrics.values()) {
      yield [m.name, m.type, m.contains, m.sink];
      for (const s of m.submetrics) yield [s.name, m.type, m.contains, s.sink];
    }
  }
}
