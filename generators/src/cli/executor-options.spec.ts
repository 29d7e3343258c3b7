import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseExecutorOptions, type ExecutorName } from './executor-options';
import { main } from './main';

const parse = (executor: ExecutorName, ...args: string[]) => parseExecutorOptions<Record<string, unknown>>(executor, args, `ephenv ${executor} <model>`);
const failure = (executor: ExecutorName, ...args: string[]) => {
  try {
    parse(executor, ...args);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${args.join(' ')} was accepted`);
};

describe('CLI options from the executor schema.json', () => {
  it("coerces argv's strings to the declared types and applies the schema's defaults", () => {
    expect(parse('benchmark', 'iris', '--rate', '10', '--duration=3s', '--no-progress')).toEqual({
      positionals: ['iris'],
      options: { rate: 10, duration: '3s', progress: false, engine: 'auto', tolerance: 0.1, failOnRegression: false },
    });
    expect(parse('validate', '--allow-breaking', 'iris', '--parts', 'static,compatibility').options).toEqual({ allowBreaking: true, parts: ['static', 'compatibility'], live: 'auto' });
    expect(parse('evaluate', 'iris').options).toEqual({ top: 10 });
    expect(parse('logs', 'iris', '--lines', '5', '--pr', '12').options).toEqual({ lines: 5, pr: '12' });
    expect(parse('deploy-preview', 'iris', '--showToken', '--endpoint-timeout', '60').options).toEqual({ showToken: true, endpointTimeout: 60 });
  });

  it('names the option, what is allowed and what was given', () => {
    expect(failure('validate', 'iris', '--live', 'sometimes')).toMatch(/^--live must be one of "auto", "always", "never" \(got "sometimes"\)\nusage: ephenv validate <model>$/);
    expect(failure('benchmark', 'iris', '--engine', 'jmeter')).toContain('--engine must be one of "auto", "embedded", "k6" (got "jmeter")');
    expect(failure('benchmark', 'iris', '--rate', '0')).toContain('--rate must be >= 1 (got 0)');
    expect(failure('benchmark', 'iris', '--rate', 'ten')).toContain('--rate must be integer (got "ten")');
    expect(failure('evaluate', 'iris', '--top', '-1')).toContain('--top must be >= 0 (got -1)');
    expect(failure('validate', 'iris', '--parts', 'static,smoke')).toContain('--parts must be one of "static", "compatibility", "live"');
    const deploy = failure('deploy-preview', 'iris', '--provider', 'gcp', '--lock-timeout', '5x');
    expect(deploy).toContain('--provider must be one of "local", "aws" (got "gcp")');
    expect(deploy).toContain('--lock-timeout must match pattern "^[0-9]+(ms|s|m|h)$" (got "5x")');
  });

  it('refuses an unknown option with the list of the real ones, and an option without its value', () => {
    expect(failure('destroy-preview', 'iris', '--provder', 'aws')).toMatch(/^unknown option --provder: the options are --provider, --pr, --lock-timeout\n/);
    expect(failure('benchmark', 'iris', '--no-rate')).toContain('unknown option --no-rate: --rate is not a boolean');
    expect(failure('benchmark', 'iris', '--rate')).toContain('--rate needs a value');
    expect(failure('benchmark', 'iris', '--rate', '--duration', '3s')).toContain('--rate needs a value');
    expect(failure('deploy-preview', 'iris', '-p', 'aws')).toContain('unknown option -p');
  });

  it('accepts exactly the options each schema.json declares (one definition of every option)', () => {
    for (const executor of ['deploy-preview', 'destroy-preview', 'validate', 'evaluate', 'benchmark', 'logs'] as const) {
      const schema = JSON.parse(readFileSync(join(__dirname, '..', 'executors', executor, 'schema.json'), 'utf8'));
      const listed = failure(executor, '--nope').split('\n')[0].replace(/^unknown option --nope: the options are /, '').split(', ');
      expect(listed, executor).toEqual(Object.keys(schema.properties).map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
    }
  });
});

describe('ephenv <command> with bad options', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exits 1 before touching the model, printing the problem and the usage line', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(await main(['validate', 'iris-classifier', '--live', 'sometimes'])).toBe(1);
    expect(await main(['logs', 'iris-classifier', '--lines', 'all'])).toBe(1);
    expect(await main(['evaluate', 'no-such-model', '--tpo', '3'])).toBe(1);
    expect(errors).toEqual([
      'ephenv: --live must be one of "auto", "always", "never" (got "sometimes")\nusage: ephenv validate <model> [--base <ref>] [--allow-breaking] [--url <url>] [--live auto|always|never]',
      'ephenv: --lines must be integer (got "all")\nusage: ephenv logs <project> [--lines N] [--provider local|aws] [--pr <n>]',
      expect.stringMatching(/^ephenv: unknown option --tpo: the options are --base, --baseline-url, --url, --top\n/),
    ]);
  });
});
