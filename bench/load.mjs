#!/usr/bin/env node
// Load generator for bench/e2e.ts, run as its own process so that it does not share an event
// loop with the measuring script. Sends POSTs with autocannon at a fixed concurrency for a fixed
// time; every request gets its own body (template with __SEQ__ replaced by a sequence number),
// so that duplicate suppression never short-circuits a delivery. Prints autocannon's result as JSON.
//
//   node bench/load.mjs <spec.json>
//   spec: { url, headers, bodyTemplate, connections, durationSeconds, seqStart, timeoutSeconds? }
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let seq = spec.seqStart ?? 0;
const [head, tail] = spec.bodyTemplate.split('__SEQ__');

const result = await autocannon({
	url: spec.url,
	method: 'POST',
	connections: spec.connections,
	duration: spec.durationSeconds,
	timeout: spec.timeoutSeconds ?? 10, // autocannon's default
	headers: { 'content-type': 'application/json', ...spec.headers },
	requests: [{ setupRequest: (request) => ({ ...request, body: `${head}${seq++}${tail}` }) }],
});
process.stdout.write(
	JSON.stringify({
		requests: result.requests.total,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		statusCodes: result.statusCodeStats,
		sent: seq - (spec.seqStart ?? 0),
	}),
);
