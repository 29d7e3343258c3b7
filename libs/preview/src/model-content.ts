import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';

/** What the model image is made of, and its identity. */
export interface ModelContent {
  /** sha256 (hex) over the Dockerfile, the files its COPY/ADD lines take from the model folder, and the trained model. */
  hash: string;
  /** The ECR tag that names this content: `content-<first 32 hex digits>`. */
  tag: string;
  /** The files hashed, relative to the model folder; the trained model's as `model:<path>`. */
  files: string[];
}

/** The named build context the Dockerfile takes the trained model from (`COPY --from=model`). */
const MODEL_CONTEXT = 'model';

/**
 * The identity of the model's image, computed without Docker over exactly what `docker buildx build`
 * consumes: the Dockerfile, the files of the build context (the model folder, less .dockerignore)
 * that its COPY/ADD lines bring in, and the trained model (the `model` build context) when a line
 * copies from it. Tests, the k6 script and READMEs are not copied, so changing them keeps the hash.
 */
export function modelContent(projectDir: string, modelDir: string): ModelContent {
  const dockerfilePath = join(projectDir, 'Dockerfile');
  if (!existsSync(dockerfilePath)) throw new Error(`${projectDir} has no Dockerfile: the model image is built from it (regenerate it with "nx g @ephenv:model")`);
  const dockerfile = readFileSync(dockerfilePath, 'utf8');
  const copies = copySources(dockerfile);

  const ignorePath = join(projectDir, '.dockerignore');
  const ignored = dockerignore().add(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8').split('\n') : []);
  const copied = dockerignore().add(copies.context.map(asPattern));
  const contextFiles = copies.context.length === 0 ? [] : listFiles(projectDir).filter((f) => !ignored.ignores(f) && copied.ignores(f));

  const hash = createHash('sha256').update('Dockerfile\0').update(dockerfile);
  const files = ['Dockerfile'];
  for (const file of contextFiles) {
    hash.update(`\0context:${file}\0`).update(readFileSync(join(projectDir, file)));
    files.push(file);
  }
  if (copies.model) {
    if (!existsSync(modelDir)) throw new Error(`there is no trained model in ${modelDir}: train it first (its image copies it)`);
    for (const file of listFiles(modelDir)) {
      hash.update(`\0model:${file}\0`).update(readFileSync(join(modelDir, file)));
      files.push(`${MODEL_CONTEXT}:${file}`);
    }
  }
  const hex = hash.digest('hex');
  return { hash: hex, tag: `content-${hex.slice(0, 32)}`, files };
}

/** The sources of the Dockerfile's COPY/ADD lines: from the build context, and whether one copies the `model` context. */
export function copySources(dockerfile: string): { context: string[]; model: boolean } {
  const context: string[] = [];
  let model = false;
  for (const line of instructions(dockerfile)) {
    const match = /^(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const words = splitArguments(match[2]);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    const sources = paths.slice(0, -1);
    if (from === MODEL_CONTEXT) model = true;
    // --from=<stage or image>: what it brings is decided by the Dockerfile itself, already hashed.
    else if (from === undefined) context.push(...sources.filter((s) => !/^https?:\/\//.test(s)));
  }
  return { context, model };
}

/** Instruction lines: comments dropped, backslash continuations joined. */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of dockerfile.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') && current === '') continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    out.push((current + line).trim());
    current = '';
  }
  if (current) out.push(current.trim());
  return out.filter(Boolean);
}

/** COPY's two forms: `["a", "b", "dest"]` (JSON) or whitespace-separated words. */
function splitArguments(text: string): string[] {
  const flags = text.match(/^(--\S+\s+)*/)?.[0] ?? '';
  const rest = text.slice(flags.length).trim();
  const words = flags.split(/\s+/).filter(Boolean);
  if (rest.startsWith('[')) {
    try {
      return [...words, ...(JSON.parse(rest) as string[])];
    } catch {
      // Not valid JSON: Docker then reads it as words too.
    }
  }
  return [...words, ...rest.split(/\s+/).filter(Boolean)];
}

/** A COPY source as a .dockerignore-style pattern: a folder matches everything under it, `.` everything. */
function asPattern(source: string): string {
  const clean = posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  return clean === '.' || clean === '' ? '**' : clean;
}

/** Every file under `dir`, relative, with `/`, sorted, so the hash does not depend on the order readdir returns. */
function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, rel));
    else if (entry.isFile() || entry.isSymbolicLink()) files.push(rel);
  }
  return files.sort();
}
