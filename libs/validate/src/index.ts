export { runValidate, type ValidateOptions, type ValidateContext, type ValidateOutcome, type LiveMode } from './run-validate';
export { runStaticChecks, type StaticOutcome, type CompiledSchema } from './static-checks';
export { runCompatibilityChecks, describeFinding, type CompatibilityOptions, type CompatibilityOutcome } from './compat/check-compatibility';
export { diffSchemas } from './compat/diff-schemas';
export { runLiveChecks, type LiveOptions, type LiveTarget } from './live-checks';
export { deriveInvalidRequests, type InvalidRequest } from './lib/derive-invalid-requests';
export { formatTable, toJUnitXml, writeResults, type WrittenResults } from './report';
export * from './types';
