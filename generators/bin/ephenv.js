#!/usr/bin/env node
// The ephenv CLI. The workspace ships TypeScript sources, so they are compiled on load by SWC,
// with the workspace's path aliases (@ephenv/*) from tsconfig.base.json.
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(__dirname, '..', '..', 'tsconfig.base.json');
require('@swc-node/register');
require('../src/cli/main')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
