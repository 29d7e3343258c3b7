import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copySources, modelContent } from '../src/model-content';
import { REPO } from '@ephenv/testing';

describe('the model image content hash', () => {
  let dir: string;
  let project: string;
  let model: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ephenv-content-'));
    project = join(dir, 'apps', 'iris');
    model = join(dir, 'dist', 'apps', 'iris', 'model');
    cpSync(join(REPO, 'apps', 'iris-classifier'), project, { recursive: true, filter: (src) => !src.includes('__pycache__') });
    mkdirSync(model, { recursive: true });
    writeFileSync(join(model, 'model.joblib'), 'weights v1');
    writeFileSync(join(model, 'metadata.json'), '{"version": 1}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hash = () => modelContent(project, model).hash;

  it('covers the Dockerfile, what its COPY lines take from the folder (per .dockerignore) and the trained model, nothing else', () => {
    const content = modelContent(project, model);
    expect(content.tag).toBe(`content-${content.hash.slice(0, 32)}`);
    expect(content.files).toContain('Dockerfile');
    expect(content.files).toContain('requirements.txt');
    expect(content.files).toContain('src/serve');
    expect(content.files).toContain('model:model.joblib');
    expect(content.files.filter((f) => !f.startsWith('src/') && !f.startsWith('model:')).sort()).toEqual(['Dockerfile', 'requirements.txt']);
    expect(modelContent(project, model)).toEqual(content);
  });

  it('does not change for a test, the k6 script, a README, ephenv.json or Python bytecode', () => {
    const before = hash();
    appendFileSync(join(project, 'tests', 'test_app.py'), '\n# another test\n');
    appendFileSync(join(project, 'load', 'k6.js'), '\n// more load\n');
    appendFileSync(join(project, 'README.md'), '\nmore words\n');
    writeFileSync(join(project, 'train.py'), '# train.py is not in the image; its effect is, through the trained model\n', { flag: 'a' });
    mkdirSync(join(project, 'src', '__pycache__'), { recursive: true });
    writeFileSync(join(project, 'src', '__pycache__', 'x.cpython-311.pyc'), 'bytecode');
    expect(hash()).toBe(before);
  });

  it('changes with the Dockerfile, the requirements, the server code, and the trained model', () => {
    const seen = new Set([hash()]);
    const changes = [
      () => appendFileSync(join(project, 'Dockerfile'), '\nENV X=1\n'),
      () => appendFileSync(join(project, 'requirements.txt'), '\nrich==13.7.1\n'),
      () => appendFileSync(join(project, 'src', 'serve'), '\n# changed\n'),
      () => writeFileSync(join(model, 'model.joblib'), 'weights v2'),
      () => writeFileSync(join(model, 'extra.bin'), 'x'),
      () => unlinkSync(join(model, 'extra.bin')),
    ];
    for (const [i, change] of changes.entries()) {
      change();
      const next = hash();
      // Removing the extra file goes back to the hash before it was added: content, not history.
      if (i === changes.length - 1) expect(seen.has(next)).toBe(true);
      else expect({ i, repeated: seen.has(next) }).toEqual({ i, repeated: false });
      seen.add(next);
    }
  });

  it('honours .dockerignore: without it every copied folder file counts; a file it excludes does not', () => {
    const withIgnore = hash();
    writeFileSync(join(project, 'src', 'notes.pyc'), 'ignored by src/**/*.pyc');
    expect(hash()).toBe(withIgnore);
    unlinkSync(join(project, '.dockerignore'));
    expect(hash()).not.toBe(withIgnore);
  });

  it('reads COPY and ADD in both forms, with flags and continuations, and tells the model context from stages', () => {
    expect(
      copySources(
        [
          'FROM python:3.11-slim AS base',
          '# COPY commented/ out/',
          'COPY --chown=1000:1000 requirements.txt \\',
          '     constraints.txt ./',
          'ADD ["src/app", "/opt/app"]',
          'COPY --from=base /usr/lib /usr/lib',
          'COPY --from=model . /opt/ml/model/',
          'ADD https://example.com/x.tar.gz /tmp/',
        ].join('\n'),
      ),
    ).toEqual({ context: ['requirements.txt', 'constraints.txt', 'src/app'], model: true });
  });

  it('says which folder lacks a Dockerfile, and which model is not trained', () => {
    rmSync(model, { recursive: true });
    expect(() => modelContent(project, model)).toThrow(`there is no trained model in ${model}`);
    unlinkSync(join(project, 'Dockerfile'));
    expect(() => modelContent(project, model)).toThrow(`${project} has no Dockerfile`);
  });
});
