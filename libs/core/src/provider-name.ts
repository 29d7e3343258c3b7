/** Where a preview can run: each name is one folder of libs/preview/src. */
export const PROVIDER_NAMES = ['local', 'aws'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const isProviderName = (value: unknown): value is ProviderName => (PROVIDER_NAMES as readonly unknown[]).includes(value);

/**
 * The provider asked for: the option, else EPHENV_PROVIDER, else `local`. The one place a
 * provider name is checked; every command and executor goes through it.
 */
export function providerName(option?: string, env: NodeJS.ProcessEnv = process.env): ProviderName {
  const value = option || env.EPHENV_PROVIDER || 'local';
  if (isProviderName(value)) return value;
  throw new Error(`--provider must be ${PROVIDER_NAMES.map((n) => `"${n}"`).join(' or ')} (or EPHENV_PROVIDER); got "${value}"`);
}
