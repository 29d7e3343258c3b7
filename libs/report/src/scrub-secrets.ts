import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { previewsDir } from '@ephenv/core';

export interface Secret {
  value: string;
  /** Where it came from, for messages: a record file or an environment variable's name. */
  source: string;
}

export const REDACTED = '[redacted]';

/** Shorter values would match ordinary text; preview tokens are 43 characters. */
const MIN_SECRET_LENGTH = 8;
const TOKEN_FIELD = /"token"\s*:\s*"([^"\\]+)"/g;

/** Environment variables whose values must never reach a comment. */
const SECRET_VARIABLES = ['EPHENV_TOKEN', 'GITHUB_TOKEN'];

function tokensIn(text: string): string[] {
  try {
    const token = (JSON.parse(text) as { token?: unknown }).token;
    return typeof token === 'string' ? [token] : [];
  } catch {
    // A damaged record may still hold a token: take anything that looks like its field.
    return [...text.matchAll(TOKEN_FIELD)].map((m) => m[1]);
  }
}

/** Every preview token this machine knows (the records in .ephenv/previews), plus secret env values. */
export function collectSecrets(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): Secret[] {
  const secrets: Secret[] = [];
  const dir = previewsDir(workspaceRoot);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const file = join(dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const value of tokensIn(text)) secrets.push({ value, source: relative(workspaceRoot, file) });
    }
  }
  for (const variable of SECRET_VARIABLES) {
    const value = env[variable];
    if (value) secrets.push({ value, source: variable });
  }
  return secrets.filter((s) => s.value.trim().length >= MIN_SECRET_LENGTH);
}

/** The secrets that occur in `text`. */
export function findSecrets(text: string, secrets: Secret[]): Secret[] {
  return secrets.filter((s) => text.includes(s.value));
}

/** `text` with every occurrence of every secret replaced, and how many were replaced. */
export function scrubSecrets(text: string, secrets: Secret[]): { text: string; removed: number } {
  let removed = 0;
  // Longest first, so a secret containing another is removed whole.
  for (const { value } of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
    const parts = text.split(value);
    removed += parts.length - 1;
    text = parts.join(REDACTED);
  }
  return { text, removed };
}
