export { reaperClients, type ReaperClients, type ReaperClientConfig } from './aws-clients';
export { reap, type ReapOptions, type ReapReport, type PreviewOutcome, type ReapAction, type ResourceLine } from './reap';
export type { DestroyThroughState } from './delete-by-state';
export { REAP_TABLE_HEADER, reapTableRows, reapDetails, reapSummary, reapFailed } from './report';
export type { PreviewResource, ResourceKind } from './resource-kinds';
