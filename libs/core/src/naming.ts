/** Longest model name that still fits `<name>-pr-<number>` plus the stack's resource suffixes in AWS limits. */
export const MAX_MODEL_NAME_LENGTH = 40;

const MODEL_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const MODEL_NAME_RULE =
  `a model name is kebab-case (lowercase letters, digits and single hyphens), starts with a letter, ` +
  `and has at most ${MAX_MODEL_NAME_LENGTH} characters, so that "<name>-pr-<number>" and the resource names derived from it ` +
  `fit SageMaker's 63-character and IAM/Lambda's 64-character limits`;

/** Returns why `name` cannot be a model name, or undefined when it can. */
export function modelNameProblem(name: string): string | undefined {
  if (!name) return `the name is empty: ${MODEL_NAME_RULE}`;
  if (name.length > MAX_MODEL_NAME_LENGTH) return `"${name}" has ${name.length} characters: ${MODEL_NAME_RULE}`;
  if (!MODEL_NAME.test(name)) return `"${name}" is not a valid model name: ${MODEL_NAME_RULE}`;
  return undefined;
}

/** The PR label of a preview made outside a pull request (on a laptop, or by hand): not a provider. */
export const LOCAL_PR = 'local';

/** Whether a PR label names a real pull request (a number), rather than `local`. */
export const isPullRequest = (pr: string | undefined): pr is string => pr !== undefined && pr !== '' && pr !== LOCAL_PR;

/** The PR label used in names: a PR number, or `local` for a preview without a PR. */
export function normalizePr(pr: string | number | undefined): string {
  const value = String(pr ?? LOCAL_PR).trim();
  if (/^[1-9][0-9]{0,5}$/.test(value) || value === LOCAL_PR) return value;
  throw new Error(`--pr must be a pull request number (1-999999) or "local"; got "${value}"`);
}

/** `<model>-pr-<number>`: the name every AWS resource of one preview starts with. */
export function previewName(model: string, pr: string | number): string {
  return `${model}-pr-${normalizePr(pr)}`;
}
