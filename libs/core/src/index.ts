export * from './config';
export * from './naming';
export * from './tags';
export * from './paths';
export * from './records';
export * from './process';
export * from './venv';
export * from './git';
