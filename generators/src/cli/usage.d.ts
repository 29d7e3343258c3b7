/** Usage text of the ephenv CLI (usage.js: plain JavaScript, printed by `ephenv help` without compiling TypeScript). */
export const USAGE: string;
export const DEPLOY_USAGE: string;
export const DESTROY_MODEL_USAGE: string;
export const LOGS_USAGE: string;
export const COMMENT_USAGE: string;
export const REAP_USAGE: string;
export const REPORT_USAGE: string;
export const DESTROY_USAGE: string;
export const VALIDATE_USAGE: string;
export const EVALUATE_USAGE: string;
export const BENCHMARK_USAGE: string;
export const PR_USAGE: string;
