// `*.solo.test.ts` compare latencies across phases: they run alone afterwards (jest.solo.config.cjs),
// never beside another suite whose load would come and go between their phases.
module.exports = { ...require('../../jest.preset.cjs'), testPathIgnorePatterns: ['\\.solo\\.test\\.ts$'] };
