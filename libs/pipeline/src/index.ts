export { runPr, type PrOptions } from './run-pr';
export { modelProjects, runNx, type NxRun } from './nx-cli';
export { previewDeployments, type PreviewDeployments } from './preview-deployments';
export { retirePreviewDeployments } from './retire-deployments';
