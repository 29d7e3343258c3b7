// Test helpers other projects reuse (import them as `@ephenv/gateway/testing`); never shipped.
export * from './hostile-requests';
export * from './iris-requests';
export * from './model-server';
