/**
 * Jest runs the TypeScript sources as native ES modules (the hub is ESM: "type": "module" in
 * package.json); `npm test` sets --experimental-vm-modules.
 */
/** @type {import('jest').Config} */
const config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/{common,subgraphs,gateway,scripts}/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  testTimeout: 60_000,
  // test files start real servers and databases; two workers fit two cores
  maxWorkers: 2,
};

export default config;
