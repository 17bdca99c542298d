/**
 * Queue-mode scaling in n8n 2.40.7 (test/e2e/queueCluster.ts): deliveries per second through
 * nginx with one webhook processor and one worker against two of each, in the same cluster and
 * the same run. The cluster starts with two of each; the "1 + 1" runs go through an nginx port
 * whose upstream is the first webhook processor only, with the second worker stopped.
 *
 * Per run: autocannon (bench/load.mjs) keeps CONNECTIONS requests in flight for SECONDS against
 * the iLink New Document trigger (Respond Immediately, duplicate memory on, every body distinct),
 * then the run waits until the worker(s) have finished every execution it started. Reported:
 * answered deliveries per second, and executions finished per second (first request → last
 * execution stopped).
 *
 * Run: npm run bench (or QUEUE_BENCH_SECONDS=… QUEUE_BENCH_ROUNDS=… node --import tsx bench/queue.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { packPackage } from '../test/e2e/harness';
import { samplePath } from '../test/helpers/fixtures';
import { newestOfLine } from '../test/helpers/n8nVersions';
import { QueueCluster } from '../test/e2e/queueCluster';
import {
	REL_HOOKS,
	relHookPath,
	RELIABILITY_CREDENTIALS,
	RELIABILITY_KEY,
	reliabilityWorkflows,
} from '../test/e2e/reliabilityWorkflows';

const SECONDS = Number(process.env.QUEUE_BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.QUEUE_BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.QUEUE_BENCH_CONNECTIONS ?? 50);

interface RunResult {
	answeredPerSecond: number;
	executedPerSecond: number;
	p50: number;
	p99: number;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

let sequence = 1;
async function measure(cluster: QueueCluster, url: string): Promise<RunResult> {
	const mark = cluster.main.mark();
	const body = JSON.parse(readFileSync(samplePath('ilink-new-document'), 'utf8'));
	const bodyTemplate = JSON.stringify({ ...body, id: `queue-bench-__SEQ__` });
	const specFile = join(mkdtempSync(join(tmpdir(), 'bench-queue-')), 'spec.json');
	writeFileSync(
		specFile,
		JSON.stringify({
			url,
			headers: { authorization: `Bearer ${RELIABILITY_KEY}` },
			bodyTemplate,
			connections: CONNECTIONS,
			durationSeconds: SECONDS,
			seqStart: sequence,
			// 50 in flight over a few processes on 2 cores: answers can take longer than 10 s.
			timeoutSeconds: 60,
		}),
	);
	const startedAt = Date.now();
	const result = JSON.parse(
		execFileSync(process.execPath, [join(__dirname, 'load.mjs'), specFile], {
			encoding: 'utf8',
			maxBuffer: 1 << 24,
		}),
	);
	sequence += result.sent + 1;
	if (!result.requests) throw new Error(`no delivery answered within ${SECONDS} s`);
	if (result.non2xx || result.errors || result.timeouts)
		throw new Error(
			`${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
		);
	const execs = await cluster.main.waitForExecutions(result.requests, {
		after: mark,
		timeoutMs: 10 * 60_000,
	});
	const lastStop = Math.max(...execs.map((e) => new Date(e.stoppedAt ?? 0).getTime()));
	return {
		answeredPerSecond: result.rps,
		executedPerSecond: (execs.length / (lastStop - startedAt)) * 1000,
		p50: result.p50,
		p99: result.p99,
	};
}

export async function runQueueBench(): Promise<string> {
	const cluster = await QueueCluster.start({
		version: newestOfLine('2'),
		tarball: packPackage().tarball,
		credentials: RELIABILITY_CREDENTIALS,
		workflows: reliabilityWorkflows('http://127.0.0.1:9/unused'),
		webhookPaths: [relHookPath(REL_HOOKS.immediate)],
		webhookProcessors: 2,
		workers: 2,
		soloUpstream: true,
	});
	const path = relHookPath(REL_HOOKS.immediate);
	const one: RunResult[] = [];
	const two: RunResult[] = [];
	try {
		for (let round = 0; round < ROUNDS; round++) {
			await cluster.workers[1].stop({ removeUserFolder: false });
			one.push(await measure(cluster, cluster.soloUrl(path)));
			process.stderr.write(`1 + 1: ${JSON.stringify(one[one.length - 1])}\n`);
			await cluster.workers[1].restart();
			two.push(await measure(cluster, cluster.url(path)));
			process.stderr.write(`2 + 2: ${JSON.stringify(two[two.length - 1])}\n`);
		}
	} finally {
		await cluster.stop();
	}
	const summary = (runs: RunResult[]) => ({
		answered: median(runs.map((r) => r.answeredPerSecond)),
		executed: median(runs.map((r) => r.executedPerSecond)),
		p50: median(runs.map((r) => r.p50)),
		p99: median(runs.map((r) => r.p99)),
	});
	const a = summary(one);
	const b = summary(two);
	const row = (label: string, s: typeof a) =>
		`| ${label} | ${s.answered.toFixed(1)} | ${s.executed.toFixed(1)} | ${s.p50} / ${s.p99} ms |`;
	return [
		`| webhook processors + workers | deliveries answered/s | executions finished/s | answer p50 / p99 |`,
		'|---|---|---|---|',
		row('1 + 1', a),
		row('2 + 2', b),
		`| **ratio 2 + 2 / 1 + 1** | **${(b.answered / a.answered).toFixed(2)}×** | **${(b.executed / a.executed).toFixed(2)}×** | |`,
	].join('\n');
}

if (require.main === module) {
	execFileSync('npm', ['run', 'build'], { cwd: join(__dirname, '..'), stdio: 'ignore' });
	runQueueBench().then(
		(table) => process.stdout.write(`${table}\n`),
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
