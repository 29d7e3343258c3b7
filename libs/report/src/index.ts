export { buildReport, HTML_REPORT_ARTIFACT, MAX_COMMENT_LENGTH, type BuildReportOptions, type BuiltReport } from './build-report';
export { readResults, ReportInputError, resultsRoot, runFilePath, type ModelResults, type PreviewOutput, type PrRunFile, type ReportInputs } from './read-results';
export { assessModel, thresholdValue, type ModelAssessment, type Verdict } from './assess-model';
export { estimateCost, formatUsd, PRICES, type CostEstimate, type CostInput, type CostLine, type PriceTable, type Usage } from './estimate-cost';
export { renderReport, COMMENT_MARKER, type ReportView } from './render-report';
export { cloudWatchLogGroupUrl } from './render-model';
export { collectSecrets, findSecrets, scrubSecrets, REDACTED, type Secret } from './scrub-secrets';
export { githubTargetFromEnv, createGitHubClient, GitHubError, type GitHubClient, type GitHubClientOptions, type GitHubTarget } from './github-client';
export { upsertStickyComment, pickStickyComment, type IssueComment, type UpsertOptions, type UpsertResult } from './github-comments';
export { githubContextFromEnv, workflowRunUrl, type GitHubContext } from './github-context';
export {
  deactivateDeployments,
  finishPreviewDeployment,
  MAX_STATUS_DESCRIPTION,
  previewEnvironment,
  retirePreviewEnvironment,
  startPreviewDeployment,
  type DeployOutcome,
  type DeploymentTarget,
  type RetireResult,
} from './github-deployments';
export { appendJobSummary } from './job-summary';
export { buildHtmlReport, type BuildHtmlOptions } from './html/build-html-report';
