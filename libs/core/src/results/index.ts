// The result files ephenv's steps leave in dist/ephenv: one definition of each shape and path,
// used by every producer and reader.
export * from './pr-run';
