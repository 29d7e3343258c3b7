import type { Logger } from '@ephenv/core';
import type { AwsProviderOptions } from './aws/aws-provider';
import { LocalProvider } from './local/local-provider';
import type { PreviewProvider, ProviderName } from './provider';

const PROVIDERS: Record<ProviderName, (log?: Logger, options?: AwsProviderOptions) => Promise<PreviewProvider>> = {
  local: async (log) => new LocalProvider(log),
  // The aws provider (and the AWS SDK it loads) only when asked for.
  aws: async (log, options) => new (await import('./aws/aws-provider')).AwsProvider(log, options),
};

/** The provider by name (see providerName for checking a name given by a person). */
export function providerFor(name: ProviderName, log?: Logger, options: AwsProviderOptions = {}): Promise<PreviewProvider> {
  return PROVIDERS[name](log, options);
}
