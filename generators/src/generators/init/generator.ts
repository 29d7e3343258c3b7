import { formatFiles, type Tree } from '@nx/devkit';
import { addInfraModules } from './lib/add-infra-modules';
import { addPolicy } from './lib/add-policy';
import { addWorkflows } from './lib/add-workflows';
import { registerPlugin } from './lib/register-plugin';
import { updateGitignore } from './lib/update-gitignore';
import type { InitGeneratorSchema } from './schema';

/** Idempotent: running it again changes nothing. */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<void> {
  registerPlugin(tree);
  updateGitignore(tree);
  addWorkflows(tree);
  addPolicy(tree);
  addInfraModules(tree);
  if (!schema.skipFormat) await formatFiles(tree);
}

export default initGenerator;
