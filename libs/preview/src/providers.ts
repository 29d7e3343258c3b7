import type { AwsProviderOptions } from './aws/aws-provider';
import { LocalProvider } from './local/local-provider';
import type { PreviewProvider, ProviderName } from './provider';

const PROVIDERS: Record<ProviderName, (report?: (line: string) => void, options?: AwsProviderOptions) => Promise<PreviewProvider>> = {
  local: async (report) => new LocalProvider(report),
  // The aws provider (and the AWS SDK it loads) only when asked for.
  aws: async (report, options) => new (await import('./aws/aws-provider')).AwsProvider(report, options),
};

/** The provider by name (see providerName for checking a name given by a person). */
export function providerFor(name: ProviderName, report?: (line: string) => void, options: AwsProviderOptions = {}): Promise<PreviewProvider> {
  return PROVIDERS[name](report, options);
}
