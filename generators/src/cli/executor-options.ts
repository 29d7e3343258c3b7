import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSchema, describeError } from '@ephenv/core/schema';

/** The executors a CLI command mirrors; their schema.json is the one definition of its options. */
export type ExecutorName = 'deploy-preview' | 'destroy-preview' | 'validate' | 'evaluate' | 'benchmark' | 'logs';

const EXECUTORS = join(__dirname, '..', 'executors');

interface OptionSchema {
  type?: string | string[];
}

/** A command line the options do not fit: main prints it with the command's usage. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const typesOf = (schema: OptionSchema | undefined) => [schema?.type ?? []].flat();

/**
 * A command's arguments as the executor's options, validated against its schema.json as Nx does
 * for `nx run`: the same defaults, enums, patterns and ranges, strings from argv coerced to the
 * declared type. Options are `--kebab-case` (or `--camelCase`), `--name value` or `--name=value`;
 * a boolean is `--name` or `--no-name`; an array takes comma-separated values or the option
 * repeated. What is not an option is a positional (the model).
 */
export function parseExecutorOptions<T>(executor: ExecutorName, args: string[], usage: string): { positionals: string[]; options: T } {
  const schema = JSON.parse(readFileSync(join(EXECUTORS, executor, 'schema.json'), 'utf8')) as { properties?: Record<string, OptionSchema> };
  const properties = schema.properties ?? {};
  const byFlag = new Map(Object.keys(properties).flatMap((name) => [[flag(name), name] as const, [`--${name}`, name] as const]));
  const allowed = Object.keys(properties).map(flag).join(', ');
  const raw: Record<string, unknown> = {};
  const positionals: string[] = [];

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [given, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const negated = given.startsWith('--no-') && !byFlag.has(given) ? byFlag.get(`--${given.slice(5)}`) : undefined;
    const name = byFlag.get(given) ?? negated;
    if (name === undefined) throw new OptionsError(`unknown option ${given}: the options are ${allowed || 'none'}\nusage: ${usage}`);
    const types = typesOf(properties[name]);
    if (types.includes('boolean') && types.length === 1) {
      if (inline !== undefined && negated === undefined) raw[name] = inline;
      else if (inline !== undefined) throw new OptionsError(`${given} takes no value\nusage: ${usage}`);
      else raw[name] = negated === undefined;
      continue;
    }
    if (negated !== undefined) throw new OptionsError(`unknown option ${given}: ${flag(name)} is not a boolean\nusage: ${usage}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new OptionsError(`${given} needs a value\nusage: ${usage}`);
    raw[name] = types.includes('array') ? [...((raw[name] as string[] | undefined) ?? []), ...value.split(',').filter(Boolean)] : value;
  }

  const validate = compileSchema<T>(withoutDialect(schema), { useDefaults: true, coerceTypes: true, label: `${executor}/schema.json` });
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => {
      const { path, message } = describeError(e);
      const name = path.split('/')[1];
      const got = name === undefined ? undefined : raw[name];
      return `${name ? flag(name) : 'the options'} ${message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    throw new OptionsError(`${[...new Set(problems)].join('; ')}\nusage: ${usage}`);
  }
  return { positionals, options: raw as T };
}

// Nx's executor schemas name Nx's meta-schema (https://json-schema.org/schema), which ajv does not
// hold; their keywords are draft-07's.
function withoutDialect(schema: object): object {
  const { $schema: _nx, ...rest } = schema as Record<string, unknown>;
  return rest;
}
