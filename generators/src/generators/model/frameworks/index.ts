import { join } from 'node:path';

export interface Framework {
  /** Template folder with the framework's server, train.py, requirements, schemas, examples and tests. */
  files: string;
  /** Example files the generated k6 script and docs refer to. */
  examples: string[];
}

/**
 * The seam for more frameworks: add a folder next to sklearn/ with the same layout
 * (src/inference/model.py is the framework-specific part) and register it here and in schema.json.
 */
export const FRAMEWORKS: Record<string, Framework> = {
  sklearn: { files: join(__dirname, 'sklearn', 'files'), examples: ['batch', 'setosa', 'versicolor', 'virginica'] },
};
