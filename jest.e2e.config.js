/**
 * End-to-end suite: real n8n processes (see test/e2e/harness.ts). Slow by nature: one n8n per
 * version is started once per test file and shared by its cases; everything runs in band.
 * The load/fault test (test/e2e/reliability.test.ts) and the queue-mode suite
 * (test/e2e/queue.test.ts: PostgreSQL, Redis, nginx, 4 n8n processes) are part of it;
 * E2E_SKIP_RELIABILITY=1 and E2E_SKIP_QUEUE=1 leave them out for a quicker local run.
 */
const withReliability = process.env.E2E_SKIP_RELIABILITY !== '1';
const withQueue = process.env.E2E_SKIP_QUEUE !== '1';

module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: [
		'/node_modules/',
		...(withReliability ? [] : ['/test/e2e/reliability\\.test\\.ts$']),
		...(withQueue ? [] : ['/test/e2e/queue\\.test\\.ts$']),
	],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
	},
	// Start-up (first run: installing n8n into the cache) happens in beforeAll, with its own timeout.
	testTimeout: 120_000,
	slowTestThreshold: 60,
	maxWorkers: 1,
};
