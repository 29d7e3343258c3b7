import { addProjectConfiguration, formatFiles, joinPathFragments, type GeneratorCallback, type Tree } from '@nx/devkit';
import { initGenerator } from '../init/generator';
import { containerProblems } from './lib/check-container';
import { createFiles } from './lib/create-files';
import { normalizeOptions } from './lib/normalize-options';
import { runYeomanTemplate, type TemplateFile } from './lib/run-yeoman-template';
import type { ModelGeneratorSchema } from './schema';

export async function modelGenerator(tree: Tree, schema: ModelGeneratorSchema): Promise<GeneratorCallback | void> {
  const options = normalizeOptions(tree, schema);
  // The Yeoman output is checked before anything is written: a refused template changes nothing.
  let imported: TemplateFile[] = [];
  if (options.yeoman) {
    imported = await runYeomanTemplate(tree.root, options.name, options.yeoman);
    const problems = containerProblems(imported);
    if (problems.length > 0) {
      throw new Error(
        `Cannot create model service "${options.name}" from --template ${options.yeoman.generator}: its output cannot be deployed by SageMaker or previewed by ephenv. Missing:\n` +
          problems.map((p) => `  - ${p}`).join('\n') +
          '\nFix the generator (or its --templateAnswers) so its container has these.',
      );
    }
  }
  await initGenerator(tree, { skipFormat: true });

  // Targets are inferred from ephenv.json by the @ephenv plugin; project.json only names the project.
  addProjectConfiguration(tree, options.name, {
    root: options.projectRoot,
    sourceRoot: joinPathFragments(options.projectRoot, 'src'),
    projectType: 'application',
    tags: ['type:model', `framework:${options.framework}`],
    targets: {},
  });
  createFiles(tree, options, imported);

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
