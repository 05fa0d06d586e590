// The suites that measure latency, run one at a time after the others (`pnpm test`): the same
// machine's load must not change between the phases they compare.
module.exports = {
  projects: [
    {
      ...require('./jest.preset.cjs'),
      displayName: 'solo',
      rootDir: require('node:path').join(__dirname, 'infra/ops-tests'),
      testMatch: ['<rootDir>/test/**/*.solo.test.ts'],
    },
  ],
  maxWorkers: 1,
  testTimeout: 30_000,
};
