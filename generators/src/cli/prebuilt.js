// The CLI of this workspace as one CommonJS file, built from the TypeScript sources by esbuild and
// kept in .ephenv/build/cli until one of the files it was built from changes content. Plain
// JavaScript, loaded before any compiler: registering SWC costs about a second on every call
// (it loads the `typescript` package to read tsconfig), which a warm deploy cannot afford.
const { createHash, randomUUID } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve, sep } = require('node:path');

/** SHA-256 over the files' paths and contents; undefined when one of them no longer exists. */
function contentHash(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    if (!existsSync(file)) return undefined;
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function isUpToDate(outfile, inputsFile, entry) {
  if (!existsSync(outfile) || !existsSync(inputsFile)) return false;
  try {
    const record = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return record.entry === entry && contentHash(record.inputs) === record.sha256;
  } catch {
    return false; // an unreadable record: rebuild
  }
}

/**
 * In the bundle every module keeps its own __dirname and __filename (the executors' schemas and
 * the gateway's entry are found next to their sources), not the bundle's.
 */
const sourcePaths = {
  name: 'source-paths',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const contents = readFileSync(args.path, 'utf8')
        .replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/**
 * The path of the bundled CLI whose entry is `entry` (main.ts), building it first when it is
 * missing or stale. Packages stay in node_modules (required at run time, lazily where the sources
 * import them lazily); the workspace's libraries (@ephenv/*, through tsconfig.base.json's paths)
 * are bundled.
 */
async function prebuiltCli(workspaceRoot, entry) {
  const dir = join(workspaceRoot, '.ephenv', 'build', 'cli');
  const outfile = join(dir, 'ephenv.js');
  const inputsFile = `${outfile}.inputs.json`;
  if (isUpToDate(outfile, inputsFile, entry)) return outfile;

  mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}.${randomUUID()}.tmp`;
  const { build } = require('esbuild');
  const tsconfig = join(workspaceRoot, 'tsconfig.base.json');
  const building = `${outfile}.${unique}`;
  let result;
  try {
    result = await build({
      absWorkingDir: workspaceRoot,
      entryPoints: [entry],
      outfile: building,
      tsconfig,
      bundle: true,
      packages: 'external',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      metafile: true,
      plugins: [sourcePaths],
    });
  } catch (e) {
    throw new Error(`ephenv: compiling the CLI from ${entry} failed:\n${e.message}`);
  }
  renameSync(building, outfile);
  const inputs = [__filename, tsconfig, require.resolve('esbuild/package.json'), ...Object.keys(result.metafile.inputs).map((input) => resolve(workspaceRoot, input))];
  writeFileSync(`${inputsFile}.${unique}`, JSON.stringify({ entry, inputs, sha256: contentHash(inputs) }));
  renameSync(`${inputsFile}.${unique}`, inputsFile);
  return outfile;
}

module.exports = { prebuiltCli };
