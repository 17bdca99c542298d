/**
 * The end-to-end tier of `npm test`: test/e2e/suite.test.ts, one real n8n per tested version
 * shared by the specs in test/e2e/specs (see test/e2e/sharedN8n.ts). In band: one n8n at a time.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/suite.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	// Start-up (first run: installing n8n into the cache) happens in beforeAll, with its own timeout.
	testTimeout: 120_000,
	slowTestThreshold: 60,
	maxWorkers: 1,
};
