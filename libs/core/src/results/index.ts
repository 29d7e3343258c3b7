// The result files ephenv's steps leave in dist/ephenv: one definition of each shape and path,
// and the one way to write and read them, used by every producer and reader.
export * from './files';
export * from './pr-run';
export * from './preview';
export * from './validate';
export * from './evaluate';
export * from './benchmark';
export * from './read-write';
