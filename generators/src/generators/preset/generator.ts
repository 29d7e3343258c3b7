import { formatFiles, getProjects, type GeneratorCallback, type Tree } from '@nx/devkit';
import { initGenerator } from '../init/generator';
import { modelGenerator } from '../model/generator';
import { normalizeOptions } from './lib/normalize-options';
import type { PresetGeneratorSchema } from './schema';

/**
 * The workspace `create-nx-workspace --preset=@ephenv/nx` creates: the plugin registered, the
 * workflows and policy written, and a first model service. Idempotent: a model already there is kept.
 */
export async function presetGenerator(tree: Tree, schema: PresetGeneratorSchema): Promise<GeneratorCallback | void> {
  const options = normalizeOptions(schema);
  await initGenerator(tree, { skipFormat: true });
  const created = getProjects(tree).has(options.model)
    ? undefined
    : await modelGenerator(tree, { name: options.model, endpointType: options.endpointType, skipFormat: true });
  if (!options.skipFormat) await formatFiles(tree);
  return created;
}

export default presetGenerator;
