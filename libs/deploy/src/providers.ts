import { LocalProvider } from './local/local-provider';
import type { PreviewProvider, ProviderName } from './provider';

export function providerFor(name: ProviderName, report?: (line: string) => void): PreviewProvider {
  if (name === 'local') return new LocalProvider(report);
  throw new Error(
    `the aws provider is not part of this build of ephenv yet; use --provider local (the default), or unset EPHENV_PROVIDER`,
  );
}
