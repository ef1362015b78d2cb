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
    // The short chaos soak (≈100 s): its own processes, Redis and PostgreSQL proxy; `npm run test:chaos` runs it alone.
    {
      ...base,
      displayName: 'chaos',
      testMatch: ['<rootDir>/test/**/*.soak-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
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
