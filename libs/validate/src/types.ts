// validate.json's shape is defined once, in core's results module; these names stay validate's vocabulary.
export { PARTS, type Part, type CheckStatus, type CheckResult, type Severity, type Direction, type CompatFinding, type ValidateReport } from '@ephenv/core';
