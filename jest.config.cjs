module.exports = {
  projects: [
    '<rootDir>/packages/*/jest.config.cjs',
    '<rootDir>/services/*/jest.config.cjs',
    '<rootDir>/infra/dev/jest.config.cjs',
    '<rootDir>/infra/ops-tests/jest.config.cjs',
    '<rootDir>/loadtest/jest.config.cjs',
    '<rootDir>/chaos/jest.config.cjs',
  ],
  maxWorkers: 2,
  // Global, not per project: integration tests start servers and wait on real I/O.
  testTimeout: 30_000,
};
