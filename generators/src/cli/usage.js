// Usage text of the ephenv CLI, in plain JavaScript so that `ephenv help` prints it without
// compiling TypeScript or loading any library (bin/ephenv.js); the commands read their lines here too.
'use strict';

const COMMENT_USAGE =
  'ephenv comment --pr <n> [--file dist/ephenv/comment.md]';
const REAP_USAGE =
  'ephenv reap [--dry-run] [--closed-prs 12,14] [--now <iso date>]';
const REPORT_USAGE =
  'ephenv report [--out <file>] [--pr <n>] [--html <file>]';
const DESTROY_USAGE =
  'ephenv destroy --pr <n> [--provider local|aws] [--lock-timeout <duration>]';
const VALIDATE_USAGE =
  'ephenv validate <model> [--base <ref>] [--allow-breaking] [--url <url>] [--live auto|always|never]';
const EVALUATE_USAGE =
  'ephenv evaluate <model> [--base <ref>] [--baseline-url <url>] [--url <url>] [--top N]';
const BENCHMARK_USAGE =
  'ephenv benchmark <model> [--engine auto|embedded|k6] [--rate N] [--duration 30s] [--url <url>] [--baseline <file>] [--thresholds <json>]';
const PR_USAGE =
  `ephenv pr [--all] [--base <ref>] [--head <ref>] [--provider local|aws] [--pr <n>] [--destroy] [--baseline-dir <dir>] [--checks validate,evaluate,benchmark]`;
const DEPLOY_USAGE =
  'ephenv deploy <model> [--provider local|aws] [--pr <n>] [--show-token] [--image-uri <ecr uri>] [--lock-timeout <duration>] [--endpoint-timeout <s>]';
const DESTROY_MODEL_USAGE = 'ephenv destroy <model> [--provider local|aws] [--pr <n>] [--lock-timeout <duration>]';
const LOGS_USAGE = 'ephenv logs <project> [--lines N] [--provider local|aws] [--pr <n>]';

const USAGE = `ephenv: preview environments per pull request for ML model services

usage: ephenv <command> [options]

  pr [--all] [...]        the PR pipeline: deploy-preview, validate, evaluate, benchmark, then the report
                          ${PR_USAGE}
  deploy <model> [...]    create or replace the model's preview (nx run <model>:deploy-preview without Nx)
                          ${DEPLOY_USAGE}
  destroy <model> [...]   remove the model's preview (nx run <model>:destroy-preview without Nx)
                          ${DESTROY_MODEL_USAGE}
  destroy --pr <n>        destroy every model's AWS preview of a PR, found from the Terraform state keys
  validate <model> [...]  contract, compatibility with the base branch, live checks
                          ${VALIDATE_USAGE}
  evaluate <model> [...]  the preview's model against the base branch's: metrics, thresholds, changed predictions
                          ${EVALUATE_USAGE}
  benchmark <model> [...] load test with ephenv.json's k6 scenario; exits 99 when a threshold fails, as k6
                          ${BENCHMARK_USAGE}
  report [--out <file>]   the PR comment (markdown) from dist/ephenv/*; --html <file>: the page with charts
  comment --pr <n>        create or update the PR's one ephenv comment (GITHUB_TOKEN, GITHUB_REPOSITORY)
  status                  list previews: project, provider, URL, age, health
  token <project>         print a preview's bearer token (for scripts: curl -H "Authorization: Bearer $(npx ephenv token m)")
  logs <project> [...]    the preview's gateway and model logs (CloudWatch for aws)
                          ${LOGS_USAGE}
  reap [...]              remove expired aws previews (only resources tagged Environment=Ephemeral and ManagedBy=ephenv)
                          ${REAP_USAGE}

Per model (Nx targets): nx run <model>:deploy-preview | validate | evaluate | benchmark | destroy-preview | logs
`;

module.exports = {
  USAGE,
  DEPLOY_USAGE,
  DESTROY_MODEL_USAGE,
  LOGS_USAGE,
  COMMENT_USAGE,
  REAP_USAGE,
  REPORT_USAGE,
  DESTROY_USAGE,
  VALIDATE_USAGE,
  EVALUATE_USAGE,
  BENCHMARK_USAGE,
  PR_USAGE,
};
