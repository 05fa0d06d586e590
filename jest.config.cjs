module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/services/*/jest.config.cjs', '<rootDir>/infra/dev/jest.config.cjs', '<rootDir>/loadtest/jest.config.cjs'],
  maxWorkers: 2,
};
