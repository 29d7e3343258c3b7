// What other projects' tests and benchmarks reuse of this library's test support
// (import it as `@ephenv/deploy/testing`).
export * from './aws-support';
export * from './workspace';
