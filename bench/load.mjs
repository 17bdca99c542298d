#!/usr/bin/env node
// Load generator for bench/e2e.ts, run as its own process so that it does not share an event
// loop with the measuring script. Sends POSTs with autocannon at a fixed concurrency, either for a
// fixed time (durationSeconds) or a fixed number of deliveries (amount); every request gets its
// own body (template with __SEQ__ replaced by a sequence number), so that duplicate suppression
// never short-circuits a delivery. Prints autocannon's result as JSON, with the wall-clock time
// the first request left (startedAt, ms since the epoch) and every response time (latencies, ms).
//
//   node bench/load.mjs <spec.json>
//   spec: { url, headers, bodyTemplate, connections, durationSeconds | amount, seqStart }
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let seq = spec.seqStart ?? 0;
const [head, tail] = spec.bodyTemplate.split('__SEQ__');
const latencies = [];

const startedAt = Date.now();
const result = await new Promise((resolve, reject) => {
	const instance = autocannon(
		{
			url: spec.url,
			method: 'POST',
			connections: spec.connections,
			...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds }),
			timeout: spec.timeoutSeconds ?? 10,
			headers: { 'content-type': 'application/json', ...spec.headers },
			requests: [{ setupRequest: (request) => ({ ...request, body: `${head}${seq++}${tail}` }) }],
		},
		(error, outcome) => (error ? reject(error) : resolve(outcome)),
	);
	instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
});
process.stdout.write(
	JSON.stringify({
		startedAt,
		requests: result.requests.total,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		latencies,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		statusCodes: result.statusCodeStats,
		sent: seq - (spec.seqStart ?? 0),
	}),
);
