import { join } from 'node:path';

/** A feature of a tabular model: its name in requests and the range the input schema allows. */
export interface Feature {
  name: string;
  minimum: number;
  maximum: number;
}

/**
 * What a framework brings to the generated service. The server, `serve` and the SageMaker contract
 * are shared (shared/files); a framework adds one folder of templates and this descriptor.
 */
export interface Framework {
  /** Template folders, applied in order over shared/files (a later file of the same path wins). */
  files: string[];
  /** Example files (schemas/examples/<name>.json) the generated k6 script and docs refer to. */
  examples: string[];
  /** Debian packages the image needs besides python:3.11-slim (e.g. libgomp1 for LightGBM's OpenMP). */
  systemPackages: string[];
  /** Extra `pip install` arguments in the Dockerfile only (e.g. PyTorch's CPU wheel index). */
  dockerPipArgs: string;
  /** Values the framework's templates render: features, classes, the artifact's file name. */
  template: Record<string, unknown>;
}

/** The server every framework shares: settings, `serve`, the SageMaker contract, the `serve` test. */
export const SHARED_FILES = join(__dirname, 'shared', 'files');
/** Request/response schemas, the FastAPI app and its tests for a classifier of named numeric features. */
export const TABULAR_FILES = join(__dirname, 'tabular', 'files');

/**
 * Features measured from 0 up to a maximum: twice the largest value in the training data, so the
 * input schema refuses what is surely a unit or typing error and accepts every plausible row.
 */
export const featuresUpTo = (maxima: Record<string, number>): Feature[] =>
  Object.entries(maxima).map(([name, maximum]) => ({ name, minimum: 0, maximum }));
