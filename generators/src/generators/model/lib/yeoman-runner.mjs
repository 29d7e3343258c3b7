// Runs one Yeoman generator in a folder without prompts: argv = entry file, folder, the generator
// as the user named it, answers (JSON). A process of its own because yeoman-environment and
// @yeoman/adapter are ES modules only (Nx loads generators as CommonJS) and so that a generator
// cannot disturb Nx's process. The first line of stderr is the error when it exits 1.
import { QueuedAdapter, TerminalAdapter } from '@yeoman/adapter';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { createEnv } from 'yeoman-environment';

const [entry, cwd, generator, answersJson] = process.argv.slice(2);
const given = JSON.parse(answersJson);

/** A question without an answer takes its default; one without either is an error naming it. */
async function promptModule(questions, initial = {}) {
  const answers = { ...initial };
  for (const question of [questions].flat()) {
    if (question.name in given) answers[question.name] = given[question.name];
    else if (question.name in answers) continue;
    else if (question.default !== undefined) answers[question.name] = typeof question.default === 'function' ? await question.default(answers) : question.default;
    else {
      throw new Error(
        `the Yeoman generator ${generator} asks "${question.message ?? question.name}" (${question.name}) and has no default: ` +
          `answer it with --templateAnswers '{"${question.name}": ...}'.`,
      );
    }
  }
  return answers;
}

// Yeoman's own log ("create Dockerfile") is about the scratch folder; Nx lists what the model gets.
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const adapter = new QueuedAdapter({ adapter: new TerminalAdapter({ promptModule, console: new Console(quiet), stdout: quiet, stderr: quiet }) });
try {
  const env = createEnv({ cwd, adapter, skipInstall: true });
  const { namespace } = env.register(entry, { namespace: 'ephenv-template:app' });
  await env.run([namespace], { skipInstall: true, skipCache: true, force: true });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
