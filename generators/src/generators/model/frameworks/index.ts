import { SHARED_FILES, type Framework } from './framework';
import { lightgbm } from './lightgbm';
import { onnx } from './onnx';
import { pytorch } from './pytorch';
import { sklearn } from './sklearn';

export type { Framework } from './framework';

/**
 * The seam for more frameworks: a folder with index.ts (its descriptor) and files/ (train.py, requirements.txt,
 * src/inference/model.py, examples), registered here and in schema.json's enum.
 */
export const FRAMEWORKS = { sklearn, lightgbm, pytorch, onnx } satisfies Record<string, Framework>;

export type FrameworkName = keyof typeof FRAMEWORKS;

export const isFramework = (name: string): name is FrameworkName => Object.hasOwn(FRAMEWORKS, name);

/** The template folders of a framework, shared server first. */
export const templateFolders = (name: FrameworkName): string[] => [SHARED_FILES, ...FRAMEWORKS[name].files];
