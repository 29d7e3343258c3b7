/**
 * Time budgets of the Terraform tests against moto, derived from measurements on the 2-core CI
 * machine. Idle, the preview stack's apply takes 18 s and a plan 7.5 s (preview-stack.spec.ts
 * prints its timings); while `npm test` ran every project at once, the bootstrap's apply took 66 s (78 s with a model training
 * next to it).
 */
const SLOWEST_STEP_UNDER_LOAD_MS = 80_000;

/**
 * A terraform run taking longer than this is interrupted (SIGINT, so Terraform releases its state
 * lock): no run outlives its test and holds the lock the next test needs.
 */
export const STEP_TIMEOUT_MS = 3 * SLOWEST_STEP_UNDER_LOAD_MS;

/** `-lock-timeout`: as long as any other run may hold the lock, so waiting on it never fails first. */
export const LOCK_TIMEOUT = `-lock-timeout=${STEP_TIMEOUT_MS / 1000}s`;

/** The timeout of a test that runs `steps` terraform commands one after the other. */
export const testTimeout = (steps: number) => steps * STEP_TIMEOUT_MS + 30_000;
