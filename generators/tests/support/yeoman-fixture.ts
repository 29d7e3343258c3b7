import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './checkout';

const FIXTURE = join(__dirname, '..', 'fixtures', 'generator-acme-sagemaker');

/**
 * A folder whose node_modules holds the fixture generator as npm would install it: the package
 * copied in, its peer yeoman-generator linked from the workspace. Returns the folder.
 */
export function installAcmeGenerator(): string {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-yo-fixture-'));
  mkdirSync(join(root, 'node_modules'));
  cpSync(FIXTURE, join(root, 'node_modules', 'generator-acme-sagemaker'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules', 'yeoman-generator'), join(root, 'node_modules', 'yeoman-generator'));
  return root;
}

export const acmeGeneratorIn = (root: string) => join(root, 'node_modules', 'generator-acme-sagemaker');
