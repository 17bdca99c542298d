/**
 * End-to-end throughput and latency in a real n8n 2.40.7: each trigger against what a user would
 * otherwise run, in the same n8n, in the same run, rounds interleaved so that drift and the load
 * of other processes on the machine hit every side alike:
 *
 *   - ours:     the package's trigger → No Operation
 *   - built-in: n8n's Webhook node (header auth) → No Operation, the same body (the ceiling)
 *   - peer:     n8n's Webhook node (header auth) → Code node that validates and maps the body as
 *               the trigger does and, for InvoiCy, turns the base64 PDF and XML into binary files
 *               (bench/peer/*.js, importable as bench/peer/*.workflow.json)
 *
 * A round sends N deliveries at a fixed concurrency (autocannon in its own process,
 * bench/load.mjs, every request with its own document number, so duplicate suppression, on as by
 * default, never short-circuits) and waits until n8n's database shows all N executions finished:
 * deliveries/s = N / (last execution's stoppedAt − first request). N is sized per side from its
 * warm-up round so that every round lasts about BENCH_ROUND_SECONDS (see deliveriesPerRound).
 * Latency is the sender's: the time to n8n's HTTP answer. Rounds alternate their order (A B C,
 * C B A, ...) and are split into two runs (odd and even rounds); rounds are added until every
 * side's p99 agrees between the two runs within ±15 % (or BENCH_MAX_ROUNDS). Each round also
 * records how many expression isolates n8n acquired per delivery (its own Prometheus counter,
 * N8N_METRICS=true) and the machine's load.
 *
 * n8n 2.x evaluates expressions in an isolate it acquires for every webhook call, except for its
 * own Webhook node with static parameters (live-webhooks.js, webhookPhaseNeedsIsolate); with
 * N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true an acquired isolate is only created when an expression
 * really reaches the engine. So the benchmark runs three times: n8n's defaults, the legacy engine
 * (no isolates at all), and lazy acquisition.
 *
 * Run: npm run bench (or BENCH_DELIVERIES=… BENCH_MAX_ROUNDS=… node --import tsx bench/e2e.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance, packPackage, type WorkflowSpec } from '../test/e2e/harness';
import { samplePath } from '../test/helpers/fixtures';
import { newestOfLine } from '../test/helpers/n8nVersions';

const PKG = 'n8n-nodes-ilink-invoicy';
/** The fewest deliveries in a round, and the warm-up round's size. */
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 100);
/**
 * A round lasts about this long. A run's p99 is its 1 % slowest answers; with 100 deliveries a
 * round, a fast side's run of five 2-second rounds held about 500 answers, so its p99 was the 5th
 * slowest: whether one stall of n8n's (a garbage collection, a SQLite checkpoint, which holds up
 * every request in flight) fell into that run or not. Four rows never repeated within ±15 % in 10
 * rounds that way (BENCHMARKS.md). Rounds of equal duration also give every side the same share
 * of drain time (the last answers and executions after the sender stops).
 */
const roundSeconds = () => Number(process.env.BENCH_ROUND_SECONDS ?? 10);
/** Bounds a round (and the duplicate memory's growth) whatever the warm-up rate. */
const MAX_PER_ROUND = 2000;
const WARMUP = Number(process.env.BENCH_WARMUP ?? DELIVERIES);
const MIN_ROUNDS = Number(process.env.BENCH_MIN_ROUNDS ?? 4);
const MAX_ROUNDS = Number(process.env.BENCH_MAX_ROUNDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** p99 of the two runs (odd rounds, even rounds) may differ by this much of their mean. */
const P99_TOLERANCE = 0.15;
const KEY = 'bench-access-key-0123456789';
/**
 * BENCH_IGNORE_DUPLICATES=false measures our trigger without duplicate suppression: no duplicate
 * memory, so no static-data save per delivery (about 85 KB once it holds 5,000 keys).
 */
const IGNORE_DUPLICATES = process.env.BENCH_IGNORE_DUPLICATES !== 'false';
/** What the editor adds; BENCH_TYPE_VERSION=1 measures a node saved as typeVersion 1. */
const OURS_TYPE_VERSION = Number(process.env.BENCH_TYPE_VERSION ?? 1.1);

const ROOT = join(__dirname, '..');
const fixture = (name: string) => readFileSync(samplePath(name), 'utf8');

export type Side = 'ours' | 'builtin' | 'peer';
export const SIDES: Side[] = ['ours', 'builtin', 'peer'];
type Sender = 'ilink' | 'invoicy';

interface Payload {
	label: string;
	sender: Sender;
	bodyTemplate: string;
	ours: {
		type: string;
		path: string;
		parameters: Record<string, unknown>;
		credentials: Record<string, unknown>;
	};
}

/** A valid PDF (the sample invoice) padded with a trailing comment to `size` bytes. */
function pdfOfSize(size: number): Buffer {
	const sample = readFileSync(join(ROOT, 'samples', 'sample-invoice.pdf'));
	const padding = Math.max(0, size - sample.length - 2);
	const filler = randomBytes(padding).toString('base64').slice(0, padding);
	return Buffer.concat([sample, Buffer.from(`\n%${filler}`)]);
}

function invoiCyTemplate(pdfBytes: number): string {
	const body = JSON.parse(fixture('invoicy-nfse-authorized'));
	body.documento.DocPDF = pdfOfSize(pdfBytes).toString('base64');
	body.documento.DocNumero = 1021;
	return JSON.stringify(body).replace('"DocNumero":1021', '"DocNumero":__SEQ__');
}

const ILINK_CREDENTIALS = { iLinkAccessKeyApi: { id: 'benchILinkKey001', name: 'Bench iLink' } };
const INVOICY_CREDENTIALS = {
	invoiCyBearerTokenApi: { id: 'benchInvoiCyTok1', name: 'Bench InvoiCy' },
};
const HEADER_AUTH = { httpHeaderAuth: { id: 'benchHeaderAuth1', name: 'Bench header auth' } };

function invoiCyPayload(label: string, pdfBytes: number): Payload {
	return {
		label,
		sender: 'invoicy',
		bodyTemplate: invoiCyTemplate(pdfBytes),
		ours: {
			type: 'invoiCyNfseTrigger',
			path: 'invoicy-nfse',
			parameters: { authentication: 'bearerToken' },
			credentials: INVOICY_CREDENTIALS,
		},
	};
}

export const PAYLOADS: Payload[] = [
	{
		label: 'iLink New Document (2.4 KB)',
		sender: 'ilink',
		bodyTemplate: JSON.stringify({ ...JSON.parse(fixture('ilink-new-document')), id: 'b.__SEQ__' }),
		ours: {
			type: 'iLinkNewDocumentTrigger',
			path: 'ilink-new-document',
			// The sample's links point at iLink: a download is network time no other side spends.
			parameters: { options: { downloadAttachments: false } },
			credentials: ILINK_CREDENTIALS,
		},
	},
	invoiCyPayload('InvoiCy NFS-e, 100 KB PDF', 100 * 1024),
	invoiCyPayload('InvoiCy NFS-e, 1 MB PDF', 1024 * 1024),
];

/** The Code node of the peer workflow for a sender (bench/peer/<sender>-code.js). */
export const peerCode = (sender: Sender) =>
	readFileSync(join(__dirname, 'peer', `${sender}-code.js`), 'utf8');

/** Webhook (header auth) → `after`: the built-in and peer workflows. */
function webhookWorkflow(
	id: string,
	name: string,
	path: string,
	after: Record<string, unknown>,
): WorkflowSpec {
	return {
		id,
		name,
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-webhook`,
				parameters: { httpMethod: 'POST', path, authentication: 'headerAuth', options: {} },
				credentials: HEADER_AUTH,
			},
			{ id: `${id}-after`, name: 'After', position: [300, 0], ...after },
		],
		connections: { Webhook: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const NO_OP = { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };

/** The peer workflow of a sender, as imported into n8n (bench/peer/<sender>.workflow.json). */
export function peerWorkflow(sender: Sender, id = `peer-${sender}`, path = `peer-${sender}`) {
	return webhookWorkflow(id, `Peer: Webhook → Code (${sender})`, path, {
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: peerCode(sender) },
	});
}

interface Target {
	side: Side;
	workflow: WorkflowSpec;
	path: string;
	bodyTemplate: string;
}

function targetsOf(payload: Payload, index: number): Record<Side, Target> {
	const webhookId = `be0c0000-0000-4000-8000-${String(index).padStart(12, '0')}`;
	const ours: WorkflowSpec = {
		id: `benchOurs${String(index).padStart(7, '0')}`,
		name: `Ours: ${payload.label}`,
		nodes: [
			{
				id: `${webhookId.slice(0, -1)}a`,
				name: 'Trigger',
				type: `${PKG}.${payload.ours.type}`,
				typeVersion: OURS_TYPE_VERSION,
				position: [0, 0],
				webhookId,
				parameters: IGNORE_DUPLICATES
					? payload.ours.parameters
					: {
							...payload.ours.parameters,
							options: { ...(payload.ours.parameters.options ?? {}), ignoreDuplicates: false },
						},
				credentials: payload.ours.credentials,
			},
			{ id: `${webhookId.slice(0, -1)}b`, name: 'After', position: [300, 0], ...NO_OP },
		],
		connections: { Trigger: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const builtinPath = `bench-builtin-${index}`;
	const peerPath = `bench-peer-${index}`;
	return {
		ours: {
			side: 'ours',
			workflow: ours,
			path: `/webhook/${webhookId}/${payload.ours.path}`,
			bodyTemplate: payload.bodyTemplate,
		},
		builtin: {
			side: 'builtin',
			workflow: webhookWorkflow(
				`benchBuiltin${String(index).padStart(4, '0')}`,
				`Built-in: ${payload.label}`,
				builtinPath,
				NO_OP,
			),
			path: `/webhook/${builtinPath}`,
			bodyTemplate: payload.bodyTemplate,
		},
		peer: {
			side: 'peer',
			workflow: peerWorkflow(
				payload.sender,
				`benchPeer${String(index).padStart(7, '0')}`,
				peerPath,
			),
			path: `/webhook/${peerPath}`,
			bodyTemplate: payload.bodyTemplate,
		},
	};
}

interface Round {
	deliveriesPerSecond: number;
	/** Requests n8n did not answer 2xx, and executions that did not succeed. */
	failed: number;
	latencies: number[];
	isolatesPerDelivery: number | null;
	load: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

let sequence = 1;
function sendDeliveries(n8n: N8nInstance, target: Target, amount: number) {
	const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
	const specFile = join(dir, 'spec.json');
	writeFileSync(
		specFile,
		JSON.stringify({
			url: n8n.url(target.path),
			headers: { authorization: `Bearer ${KEY}` },
			bodyTemplate: target.bodyTemplate,
			connections: Math.min(CONNECTIONS, amount),
			amount,
			timeoutSeconds: 120,
			seqStart: sequence,
		}),
	);
	const result = JSON.parse(
		execFileSync(process.execPath, [join(__dirname, 'load.mjs'), specFile], {
			encoding: 'utf8',
			maxBuffer: 1 << 26,
		}),
	) as { startedAt: number; latencies: number[]; sent: number } & Record<string, number>;
	sequence += result.sent + 1;
	// Counted, not fatal: on a machine this busy n8n itself sometimes answers 5xx (its SQLite
	// connection times out); such a delivery starts no execution.
	const failed = result.non2xx + result.errors + result.timeouts;
	if (failed)
		log(
			`  ${target.workflow.name}: ${failed} request(s) failed (${JSON.stringify(result.statusCodes)})`,
		);
	return { ...result, failed };
}

/** GET on a fresh connection (a pooled keep-alive socket n8n already closed fails the request). */
function getText(url: string): Promise<string> {
	return new Promise((resolve, reject) => {
		get(url, { agent: false }, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => resolve(text));
		}).on('error', reject);
	});
}

/** n8n's own count of expression isolates acquired so far (null without the vm engine). */
async function isolatesAcquired(n8n: N8nInstance): Promise<number | null> {
	const text = await getText(n8n.url('/metrics'));
	const line = text
		.split('\n')
		.find((l) => /^n8n_expression_pool_acquired_total(\{.*\})? /.test(l));
	return line ? Number(line.split(' ').pop()) : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `count` executions after `mark` have finished; returns the last one's stop time. */
async function lastStopAfter(
	n8n: N8nInstance,
	mark: string,
	count: number,
): Promise<{ lastStop: number; failed: number }> {
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		const executions = n8n.executions(mark, { withData: false });
		const finished = executions.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (finished.length >= count) {
			return {
				lastStop: Math.max(...finished.map((e) => Date.parse(`${e.stoppedAt}Z`.replace(' ', 'T')))),
				failed: finished.filter((e) => e.status !== 'success').length,
			};
		}
		if (Date.now() > deadline)
			throw new Error(`only ${finished.length}/${count} executions finished after #${mark}`);
		await sleep(250);
	}
}

/** Deliveries for a round of about roundSeconds() at the rate the side's warm-up round reached. */
function deliveriesPerRound(warmUp: Round): number {
	const sized = Math.round(warmUp.deliveriesPerSecond * roundSeconds());
	return Math.min(MAX_PER_ROUND, Math.max(DELIVERIES, sized));
}

async function round(n8n: N8nInstance, target: Target, amount: number): Promise<Round> {
	const mark = n8n.mark();
	const isolatesBefore = await isolatesAcquired(n8n);
	const load = loadavg()[0];
	const sent = sendDeliveries(n8n, target, amount);
	const done = await lastStopAfter(n8n, mark, amount - sent.failed);
	const isolatesAfter = await isolatesAcquired(n8n);
	return {
		deliveriesPerSecond:
			((amount - sent.failed) * 1000) / Math.max(1, done.lastStop - sent.startedAt),
		failed: sent.failed + done.failed,
		latencies: sent.latencies,
		isolatesPerDelivery:
			isolatesBefore === null || isolatesAfter === null
				? null
				: (isolatesAfter - isolatesBefore) / amount,
		load,
	};
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);
const spread = (a: number, b: number) => Math.abs(a - b) / ((a + b) / 2);

interface SideSummary {
	deliveriesPerSecond: number;
	p50: number;
	p99: number;
	/** Relative difference of the two runs' p99 (odd vs even rounds). */
	p99Spread: number;
	/** Relative difference of the two runs' deliveries/s. */
	rateSpread: number;
	isolatesPerDelivery: number | null;
	failed: number;
}

function summarise(rounds: Round[]): SideSummary {
	const runs = [rounds.filter((_, i) => i % 2 === 0), rounds.filter((_, i) => i % 2 === 1)];
	const p99Of = (rs: Round[]) =>
		percentile(
			rs.flatMap((r) => r.latencies),
			99,
		);
	const rateOf = (rs: Round[]) => median(rs.map((r) => r.deliveriesPerSecond));
	const all = rounds.flatMap((r) => r.latencies);
	const isolates = rounds.map((r) => r.isolatesPerDelivery);
	return {
		deliveriesPerSecond: rateOf(rounds),
		p50: percentile(all, 50),
		p99: percentile(all, 99),
		p99Spread: spread(p99Of(runs[0]), p99Of(runs[1])),
		rateSpread: spread(rateOf(runs[0]), rateOf(runs[1])),
		isolatesPerDelivery: isolates.includes(null) ? null : median(isolates as number[]),
		failed: rounds.reduce((sum, r) => sum + r.failed, 0),
	};
}

export interface PayloadResult {
	payload: string;
	rounds: number;
	/** Deliveries in each counted round, per side. */
	perRound: Record<Side, number>;
	sides: Record<Side, SideSummary>;
	load: { min: number; max: number };
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const ratio = (a: number, b: number) => `**${(a / b).toFixed(2)}×**`;

/** Markdown table of one engine's results. */
export function tableOf(results: PayloadResult[]): string {
	const rows = results.flatMap((r) =>
		SIDES.map((side) => {
			const s = r.sides[side];
			const ours = r.sides.ours;
			const vs =
				side === 'ours'
					? `${ratio(ours.deliveriesPerSecond, r.sides.builtin.deliveriesPerSecond)} / ${ratio(ours.deliveriesPerSecond, r.sides.peer.deliveriesPerSecond)}`
					: '';
			return `| ${side === 'ours' ? r.payload : ''} | ${side} | ${s.deliveriesPerSecond.toFixed(1)} | ${Math.round(s.p50)} / ${Math.round(s.p99)} ms | ${pct(s.rateSpread)} / ${pct(s.p99Spread)} | ${s.isolatesPerDelivery === null ? '–' : s.isolatesPerDelivery.toFixed(2)}${s.failed ? ` (${s.failed} failed)` : ''} | ${vs} | ${r.rounds} × ${r.perRound[side]}${side === 'ours' ? ` (load ${r.load.min.toFixed(1)}–${r.load.max.toFixed(1)})` : ''} |`;
		}),
	);
	return [
		'| delivery | side | deliveries/s | p50 / p99 | two runs differ by: deliveries/s / p99 | isolates per delivery | ours ÷ built-in / ours ÷ peer (deliveries/s) | rounds × deliveries (1-min load) |',
		'|---|---|---|---|---|---|---|---|',
		...rows,
	].join('\n');
}

/** The n8n settings each table is measured with. */
export const ENGINES: Array<{ label: string; env: Record<string, string> }> = [
	{ label: "n8n's defaults", env: {} },
	{ label: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	{
		label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
];

export async function runEndToEndBench(
	env: Record<string, string> = {},
	payloads: Payload[] = PAYLOADS,
	sides: Side[] = SIDES,
): Promise<PayloadResult[]> {
	const { tarball } = packPackage();
	const targets = payloads.map((payload, index) => targetsOf(payload, index + 1));
	const all = targets.flatMap((t) => sides.map((side) => t[side]));
	const n8n = await N8nInstance.start({
		version: newestOfLine('2'),
		// BENCH_NODE_OPTIONS: e.g. --cpu-prof for a profile of n8n's process.
		env: {
			N8N_METRICS: 'true',
			...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
			...env,
		},
		tarball,
		webhookPaths: all.map((t) => t.path),
		credentials: [
			{
				id: 'benchILinkKey001',
				name: 'Bench iLink',
				type: 'iLinkAccessKeyApi',
				data: { accessKey: KEY },
			},
			{
				id: 'benchInvoiCyTok1',
				name: 'Bench InvoiCy',
				type: 'invoiCyBearerTokenApi',
				data: { token: KEY },
			},
			{
				id: 'benchHeaderAuth1',
				name: 'Bench header auth',
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: `Bearer ${KEY}` },
			},
		],
		workflows: all.map((t) => t.workflow),
		startTimeoutMs: 15 * 60_000, // a machine shared with other test runs starts n8n slowly
	});
	const results: PayloadResult[] = [];
	try {
		for (const [index, payload] of payloads.entries()) {
			const target = targets[index];
			const perRound = {} as Record<Side, number>;
			for (const side of sides)
				perRound[side] = deliveriesPerRound(await round(n8n, target[side], WARMUP));
			const rounds: Record<Side, Round[]> = { ours: [], builtin: [], peer: [] };
			let count = 0;
			for (; count < MAX_ROUNDS; count++) {
				const order = count % 2 ? [...sides].reverse() : sides;
				for (const side of order) {
					await sleep(1000);
					const result = await round(n8n, target[side], perRound[side]);
					rounds[side].push(result);
					log(
						`  ${payload.label} round ${count + 1} ${side}: ${result.deliveriesPerSecond.toFixed(1)}/s, p99 ${Math.round(percentile(result.latencies, 99))} ms, isolates/delivery ${result.isolatesPerDelivery ?? '–'}, load ${result.load.toFixed(1)}`,
					);
				}
				const settled = sides.every((side) => summarise(rounds[side]).p99Spread <= P99_TOLERANCE);
				if (count + 1 >= MIN_ROUNDS && (count + 1) % 2 === 0 && settled) {
					count++;
					break;
				}
			}
			const loads = sides.flatMap((side) => rounds[side].map((r) => r.load));
			results.push({
				payload: payload.label,
				rounds: count,
				perRound,
				sides: Object.fromEntries(sides.map((side) => [side, summarise(rounds[side])])) as Record<
					Side,
					SideSummary
				>,
				load: { min: Math.min(...loads), max: Math.max(...loads) },
			});
			if (sides.length === SIDES.length) log(tableOf(results.slice(-1)));
		}
	} catch (error) {
		log(`n8n's last lines:\n${n8n.logs()}`);
		throw error;
	} finally {
		await n8n.stop();
	}
	return results;
}

if (require.main === module) {
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	const engine =
		ENGINES.find((e) => e.label.includes(process.env.BENCH_ENGINE ?? '')) ?? ENGINES[0];
	const only = process.env.BENCH_PAYLOAD;
	runEndToEndBench(
		engine.env,
		PAYLOADS.filter((p) => !only || p.label.includes(only)),
	).then(
		(results) => process.stdout.write(`${engine.label}\n${tableOf(results)}\n`),
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
