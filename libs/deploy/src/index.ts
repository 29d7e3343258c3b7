export * from './provider';
export * from './providers';
export * from './pr-number';
export * from './deploy';
export * from './preview-output';
export { LocalProvider, PreviewStartError } from './local/local-provider';
export { waitForPing } from './local/wait-for-ping';
export * from './logs';
export * from './status';
