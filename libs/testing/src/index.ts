export * from './start-moto';
export * from './emulator-env';
export * from './inject-orphan';
