import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

export interface BundleGatewayOptions {
  /** `local`: the process the local provider starts; `lambda`: the AWS Lambda handler (`handler` export). */
  entry: 'local' | 'lambda';
  outfile: string;
}

export interface BundleResult {
  outfile: string;
  bytes: number;
  ms: number;
  /**
   * Absolute paths of every file the bundle depends on: what esbuild read, this bundler and
   * esbuild's package.json. While their contents stay the same, so does the bundle.
   */
  inputs: string[];
}

// The sources here (.ts), the compiled package's JavaScript once published (.js): whichever this file is.
const ENTRIES = { local: 'local-main', lambda: 'lambda' } as const;
// Paths in the bundle's comments are relative to this folder, so the output does not depend on the cwd.
const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Bundles the gateway into one self-contained CommonJS file for Node 20. The AWS SDK is bundled
 * too: the version the Lambda runtime ships is not ours to choose.
 */
export async function bundleGateway(options: BundleGatewayOptions): Promise<BundleResult> {
  const outfile = resolve(options.outfile);
  const started = performance.now();
  let inputs: string[];
  try {
    const { metafile } = await build({
      absWorkingDir: WORKSPACE_ROOT,
      entryPoints: [join(__dirname, `${ENTRIES[options.entry]}${extname(__filename)}`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: false,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'silent',
      metafile: true,
    });
    inputs = [__filename, require.resolve('esbuild/package.json'), ...Object.keys(metafile.inputs).map((input) => resolve(WORKSPACE_ROOT, input))];
  } catch (e) {
    throw new Error(`bundling the ${options.entry} gateway into ${outfile} failed: ${(e as Error).message}`);
  }
  return { outfile, bytes: statSync(outfile).size, ms: Math.round(performance.now() - started), inputs };
}
