export * from './start-moto';
export * from './emulator-env';
