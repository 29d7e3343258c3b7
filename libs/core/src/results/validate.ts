// validate.json: written by @ephenv/validate, read by the report and the pipeline.
/** The three parts of `validate`, in the order they run. */
export type Part = 'static' | 'compatibility' | 'live';
export const PARTS: readonly Part[] = ['static', 'compatibility', 'live'];

/**
 * pass / fail as usual; `warn` passes but wants a look (e.g. an example without an expected
 * response, a breaking change allowed by --allowBreaking); `skip` did not run, with the reason.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  part: Part;
  name: string;
  status: CheckStatus;
  /** One line a person reads in the table. */
  message: string;
  /** Everything else worth reading when it failed: one problem a line (file, JSON pointer, what). */
  details?: string[];
  durationMs: number;
}

export type Severity = 'breaking' | 'warning' | 'info';
export type Direction = 'input' | 'output';

/** One difference between the base ref's schema and the PR's, judged from the client's side. */
export interface CompatFinding {
  severity: Severity;
  /** input: what clients send (the request); output: what clients read (the answer). */
  direction: Direction;
  /**
   * Where in the JSON document a client sends or reads, as a JSON pointer; `*` stands for
   * every array element or every value of a map (`/instances/*\/petal_width`), "" is the whole document.
   */
  pointer: string;
  /** Where the constraint lives in the PR's schema (the base's when it was removed), e.g. `#/definitions/Instance/properties/petal_width`. */
  schemaPointer: string;
  /** Stable id in oasdiff's vocabulary, e.g. `new-required-request-property`, `response-property-enum-value-added`. */
  rule: string;
  /** The constraint on the base ref, in schema words (e.g. `maximum: 100`); absent when there was none. */
  old?: string;
  /** The constraint in the PR; absent when there is none. */
  new?: string;
  /** Why this does or does not break a client, in words. */
  reason: string;
}

/** Everything one validate run found: what `validate.json` holds. */
export interface ValidateReport {
  project: string;
  status: 'pass' | 'fail';
  startedAt: string;
  durationMs: number;
  /** The parts that ran (all three unless asked otherwise). */
  parts: Part[];
  checks: CheckResult[];
  compat: {
    base: string;
    allowBreaking: boolean;
    findings: CompatFinding[];
  };
  live: {
    ran: boolean;
    url?: string;
    /** Why live checks did not run, and how to make them run. */
    reason?: string;
  };
}
