// One Jest run for every tier: unit (*.spec.ts beside the code), integration
// (*.int.spec.ts, real database) and end-to-end (*.e2e.spec.ts, running app).
const preset = require('./jest.preset');

module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
};
