export * from './cli-config';
export * from './backend-config';
export * from './init-lock';
