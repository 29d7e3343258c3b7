// What other projects' tests reuse of this library's test support (import it as `@ephenv/benchmark/testing`).
export * from './loopback-server';
export * from './workspace';
