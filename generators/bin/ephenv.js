#!/usr/bin/env node
// The ephenv CLI. The published package (@ephenv/nx) ships compiled JavaScript; this workspace
// ships TypeScript sources, compiled on load by SWC with the workspace's path aliases (@ephenv/*)
// from tsconfig.base.json. Help is plain JavaScript and is printed before that: registering the
// compiler alone costs more than the 0.3 CPU-seconds a help screen may take.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const [command] = process.argv.slice(2);
if (command === undefined || ['help', '--help', '-h'].includes(command)) {
  console.log(require('../src/cli/usage').USAGE);
  process.exitCode = command === undefined ? 2 : 0;
} else {
  if (!existsSync(join(__dirname, '..', 'src', 'cli', 'main.js'))) {
    process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(__dirname, '..', '..', 'tsconfig.base.json');
    require('@swc-node/register');
  }
  require('../src/cli/main')
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    });
}
