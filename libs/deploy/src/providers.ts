import { AwsProvider, type AwsProviderOptions } from './aws/aws-provider';
import { LocalProvider } from './local/local-provider';
import type { PreviewProvider, ProviderName } from './provider';

export function providerFor(name: ProviderName, report?: (line: string) => void, options: AwsProviderOptions = {}): PreviewProvider {
  if (name === 'aws') return new AwsProvider(report, options);
  return new LocalProvider(report);
}
