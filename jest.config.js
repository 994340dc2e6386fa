/**
 * Jest runs the TypeScript sources as native ES modules (the hub is ESM because
 * `idn-area-data` is published as ESM only); `npm test` sets --experimental-vm-modules.
 */
/** @type {import('jest').Config} */
const config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/{shared,subgraphs,gateway}/**/*.test.ts'],
  testTimeout: 60_000,
};

export default config;
