/**
 * End-to-end suite: real n8n processes (see test/e2e/harness.ts). Slow by nature: one n8n per
 * version is started once and shared by all cases; everything runs in band (one n8n at a time).
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
	// Start-up (first run: installing n8n into the cache) happens in beforeAll.
	testTimeout: 120_000,
	slowTestThreshold: 60,
	maxWorkers: 1,
};
