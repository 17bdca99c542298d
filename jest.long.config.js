/**
 * `npm run test:long`: the load and fault rounds at full scale (test/e2e/reliability.test.ts),
 * the fault injection (faults.test.ts) and the queue-mode cluster (queue.test.ts: PostgreSQL,
 * Redis, nginx and four n8n processes, from Debian's packages), which write the figures of
 * RELIABILITY.md. Each file starts its own n8n: they restart, break and load it.
 */
const base = require('./jest.e2e.config.js');

module.exports = {
	...base,
	testMatch: ['**/reliability.test.ts', '**/faults.test.ts', '**/queue.test.ts'],
};
