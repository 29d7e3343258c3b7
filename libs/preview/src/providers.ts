import type { AwsProviderOptions } from './aws/aws-provider';
import { LocalProvider } from './local/local-provider';
import type { PreviewProvider, ProviderName } from './provider';

/** The provider by name; the aws one (and the AWS SDK it loads) only when asked for. */
export async function providerFor(name: ProviderName, report?: (line: string) => void, options: AwsProviderOptions = {}): Promise<PreviewProvider> {
  if (name === 'aws') {
    const { AwsProvider } = await import('./aws/aws-provider');
    return new AwsProvider(report, options);
  }
  return new LocalProvider(report);
}
