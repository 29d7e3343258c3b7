export * from './start-moto';
export * from './emulator-env';
export * from './inject-orphan';
export * from './aws-support';
export * from './workspace';
