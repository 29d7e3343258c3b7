export interface PreviewTagInput {
  project: string;
  pr: string;
  gitSha: string;
  createdAt: Date;
  ttlHours: number;
}

/** The tags on every preview resource; the reaper acts only on resources carrying both marker tags. */
export const EPHEMERAL_MARKERS = { Environment: 'Ephemeral', ManagedBy: 'ephenv' } as const;

export function previewTags(input: PreviewTagInput): Record<string, string> {
  const expires = new Date(input.createdAt.getTime() + input.ttlHours * 3600_000);
  return {
    ...EPHEMERAL_MARKERS,
    Project: input.project,
    PR_Number: input.pr,
    GitSha: input.gitSha,
    CreatedAt: input.createdAt.toISOString(),
    ExpiresAt: expires.toISOString(),
  };
}
