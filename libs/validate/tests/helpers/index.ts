// What other projects' tests reuse of this library's test support (import it as `@ephenv/validate/testing`).
export * from './gateway';
export * from './workspace';
