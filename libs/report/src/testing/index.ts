// What other projects' tests reuse of this library's test support (import it as `@ephenv/report/testing`).
export * from './fake-github';
export * from './report-workspace';
