import { readFileSync } from 'node:fs';
import { normalizePr } from '@ephenv/core';

/**
 * The PR a preview belongs to: --pr, else the pull request of the GitHub Actions event being
 * handled (GITHUB_EVENT_PATH), else `local`.
 */
export function resolvePr(option: string | number | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== '') return normalizePr(option);
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: number }; number?: number };
      const number = event.pull_request?.number ?? event.number;
      if (number) return normalizePr(number);
    } catch {
      /* not a pull request event: fall through */
    }
  }
  return 'local';
}
