#!/usr/bin/env node
// `npx vitrine …` from the repository: runs the compiled CLI, building it first when missing.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../../..');
const entry = join(root, 'dist/apps/cli/src/main.js');
if (!existsSync(entry)) execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
process.chdir(process.env.INIT_CWD || process.cwd());
require(entry);
