#!/usr/bin/env node
// The ephenv CLI. The published package (@ephenv/nx) ships compiled JavaScript; this workspace
// ships TypeScript sources, bundled by esbuild into .ephenv/build/cli on first use and whenever one
// of them changes (src/cli/prebuilt.js): registering a compiler on every call (SWC, which loads
// `typescript`) costs about a second. Help is plain JavaScript and is printed before any of that.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const [command] = process.argv.slice(2);
if (command === undefined || ['help', '--help', '-h'].includes(command)) {
  console.log(require('../src/cli/usage').USAGE);
  process.exitCode = command === undefined ? 2 : 0;
} else {
  const compiled = join(__dirname, '..', 'src', 'cli', 'main.js');
  const cli = existsSync(compiled)
    ? Promise.resolve(compiled)
    : require('../src/cli/prebuilt').prebuiltCli(join(__dirname, '..', '..'), join(__dirname, '..', 'src', 'cli', 'main.ts'));
  cli
    .then((main) => require(main).main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e) => {
        console.error(e.message);
        process.exitCode = 1;
      },
    );
}
