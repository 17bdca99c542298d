/**
 * End-to-end suite: real n8n processes (see test/e2e/harness.ts). Slow by nature: one n8n per
 * version is started once per test file and shared by its cases; everything runs in band.
 * The load/fault test (test/e2e/reliability.test.ts) is part of it; E2E_SKIP_RELIABILITY=1
 * leaves it out for a quicker local run.
 */
const withReliability = process.env.E2E_SKIP_RELIABILITY !== '1';

module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: [
		'/node_modules/',
		...(withReliability ? [] : ['/test/e2e/reliability\\.test\\.ts$']),
	],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	// Start-up (first run: installing n8n into the cache) happens in beforeAll, with its own timeout.
	testTimeout: 120_000,
	slowTestThreshold: 60,
	maxWorkers: 1,
};
