import { addProjectConfiguration, formatFiles, joinPathFragments, type GeneratorCallback, type Tree } from '@nx/devkit';
import { initGenerator } from '../init/generator';
import { createFiles } from './lib/create-files';
import { normalizeOptions } from './lib/normalize-options';
import type { ModelGeneratorSchema } from './schema';

export async function modelGenerator(tree: Tree, schema: ModelGeneratorSchema): Promise<GeneratorCallback | void> {
  const options = normalizeOptions(tree, schema);
  await initGenerator(tree, { skipFormat: true });

  // Targets are inferred from ephenv.json by the @ephenv plugin; project.json only names the project.
  addProjectConfiguration(tree, options.name, {
    root: options.projectRoot,
    sourceRoot: joinPathFragments(options.projectRoot, 'src'),
    projectType: 'application',
    tags: ['type:model', `framework:${options.framework}`],
    targets: {},
  });
  createFiles(tree, options);

  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    console.log(
      `\nCreated model service ${options.name} in ${options.projectRoot}. Next:\n` +
        `  npx nx run ${options.name}:test            # pytest against the real server\n` +
        `  npx nx run ${options.name}:deploy-preview  # a local preview: URL + token\n`,
    );
  };
}

export default modelGenerator;
