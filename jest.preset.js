// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata and the
// @vitrine/* path aliases from .swcrc); type checking is `npm run typecheck`'s job.
//
// NestJS 12 ships as ES modules only. Node (≥ 20.19) loads them from our CommonJS build with
// require(esm), but Jest's module loader cannot before Node 24.9, so for tests the ES-module
// packages in node_modules are transpiled to CommonJS too (SWC, cached by Jest).
const { readFileSync, readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
swcrc.jsc.baseUrl = __dirname;

/** Names of ES-module packages anywhere under node_modules (nested copies included). */
function esmPackages(nodeModules, names = new Set(), depth = 0) {
  if (depth > 4 || !existsSync(nodeModules)) return names;
  const visit = (name) => {
    const dir = join(nodeModules, name);
    const pkg = join(dir, 'package.json');
    if (!existsSync(pkg)) return;
    try {
      if (JSON.parse(readFileSync(pkg, 'utf8')).type === 'module') names.add(name);
    } catch {
      // not a package
    }
    esmPackages(join(dir, 'node_modules'), names, depth + 1);
  };
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@'))
      for (const sub of readdirSync(join(nodeModules, entry))) visit(`${entry}/${sub}`);
    else visit(entry);
  }
  return names;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const esm = [...esmPackages(join(__dirname, 'node_modules'))];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
    '^.+\\.m?js$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
        module: { type: 'commonjs', ignoreDynamic: false },
      },
    ],
  },
  // Ignore a file unless the innermost package holding it is an ES-module package.
  transformIgnorePatterns: [
    `^(?!.*/node_modules/(?:${esm.map(escape).join('|')})/(?!.*/node_modules/)).*/node_modules/`,
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
