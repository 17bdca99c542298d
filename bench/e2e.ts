/**
 * End-to-end throughput and latency in a real n8n 2.40.7: each of the three triggers against
 * n8n's built-in Webhook node with header auth receiving the same body, in the same n8n, in the
 * same run. Every workflow is trigger → No Operation, so the difference is the trigger.
 *
 * The load comes from autocannon in a separate process (bench/load.mjs) at a fixed concurrency,
 * every request with its own document number (so duplicate suppression, which stays on as by
 * default, never short-circuits). Runs alternate ours / built-in to spread drift over both.
 * iLink attachment downloads are off: the sample's links point at iLink, and a download is
 * network time the built-in node does not spend.
 *
 * n8n 2.x evaluates expressions in an isolate it acquires for every webhook call, except for its
 * own Webhook node with static parameters (live-webhooks.js, webhookPhaseNeedsIsolate), so every
 * other trigger pays for it. The benchmark runs once with n8n's defaults and once with
 * N8N_EXPRESSION_ENGINE=legacy, to show which part of a gap is n8n's and which is the node's.
 *
 * Run: npm run bench (or BENCH_SECONDS=… BENCH_ROUNDS=… node --import tsx bench/e2e.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance, packPackage, type WorkflowSpec } from '../test/e2e/harness';

const PKG = 'n8n-nodes-ilink-invoicy';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const KEY = 'bench-access-key-0123456789';

const fixture = (name: string) =>
	readFileSync(join(__dirname, '..', 'test', 'fixtures', `${name}.json`), 'utf8');

interface Target {
	label: string;
	workflowId: string;
	webhookId: string;
	path: string;
	node: Record<string, unknown>;
	headers: Record<string, string>;
	bodyTemplate: string;
}

/** Our trigger and the built-in Webhook node for the same body. */
function pair(
	label: string,
	index: number,
	ours: {
		type: string;
		path: string;
		parameters: Record<string, unknown>;
		credentials: Record<string, unknown>;
	},
	bodyTemplate: string,
): [Target, Target] {
	const id = (kind: number) =>
		`be0c0000-0000-4000-8000-${String(index * 10 + kind).padStart(12, '0')}`;
	return [
		{
			label,
			workflowId: `benchOurs000000${index}`,
			webhookId: id(1),
			path: `/webhook/${id(1)}/${ours.path}`,
			node: {
				type: `${PKG}.${ours.type}`,
				typeVersion: 1,
				webhookId: id(1),
				parameters: ours.parameters,
				credentials: ours.credentials,
			},
			headers: { authorization: `Bearer ${KEY}` },
			bodyTemplate,
		},
		{
			label: `built-in Webhook (same body as ${label})`,
			workflowId: `benchBuiltin000${index}`,
			webhookId: id(2),
			path: `/webhook/bench-builtin-${index}`,
			node: {
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: id(2),
				parameters: {
					httpMethod: 'POST',
					path: `bench-builtin-${index}`,
					authentication: 'headerAuth',
					options: {},
				},
				credentials: { httpHeaderAuth: { id: 'benchHeaderAuth1', name: 'Bench header auth' } },
			},
			headers: { authorization: `Bearer ${KEY}` },
			bodyTemplate,
		},
	];
}

function workflowOf(target: Target): WorkflowSpec {
	return {
		id: target.workflowId,
		name: target.label,
		nodes: [
			{
				id: `${target.webhookId.slice(0, -1)}a`,
				name: 'Trigger',
				position: [0, 0],
				...target.node,
			},
			{
				id: `${target.webhookId.slice(0, -1)}b`,
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [300, 0],
				parameters: {},
			},
		],
		connections: { Trigger: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const iLinkTemplate = JSON.stringify({
	...JSON.parse(fixture('ilink-new-document')),
	id: 'bench.__SEQ__',
});
const statusTemplate = JSON.stringify({
	...JSON.parse(fixture('ilink-status-change-accepted')),
	id: 'bench.__SEQ__',
});
const invoiCyTemplate = fixture('invoicy-nfse-authorized').replace(
	'"DocNumero": 1021',
	'"DocNumero": __SEQ__',
);

const PAIRS = [
	pair(
		'iLink New Document',
		1,
		{
			type: 'iLinkNewDocumentTrigger',
			path: 'ilink-new-document',
			parameters: { options: { downloadAttachments: false } },
			credentials: { iLinkAccessKeyApi: { id: 'benchILinkKey001', name: 'Bench iLink' } },
		},
		iLinkTemplate,
	),
	pair(
		'iLink Document Status',
		2,
		{
			type: 'iLinkStatusChangeTrigger',
			path: 'ilink-document-status',
			parameters: { options: { downloadAttachments: false } },
			credentials: { iLinkAccessKeyApi: { id: 'benchILinkKey001', name: 'Bench iLink' } },
		},
		statusTemplate,
	),
	pair(
		'InvoiCy NFS-e (PDF+XML inline)',
		3,
		{
			type: 'invoiCyNfseTrigger',
			path: 'invoicy-nfse',
			parameters: { authentication: 'bearerToken' },
			credentials: { invoiCyBearerTokenApi: { id: 'benchInvoiCyTok1', name: 'Bench InvoiCy' } },
		},
		invoiCyTemplate,
	),
];

interface LoadResult {
	requests: number;
	rps: number;
	p50: number;
	p99: number;
	non2xx: number;
	errors: number;
	timeouts: number;
}

let sequence = 1;
function load(n8n: N8nInstance, target: Target, seconds: number): LoadResult {
	const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
	const specFile = join(dir, 'spec.json');
	writeFileSync(
		specFile,
		JSON.stringify({
			url: n8n.url(target.path),
			headers: target.headers,
			bodyTemplate: target.bodyTemplate,
			connections: CONNECTIONS,
			durationSeconds: seconds,
			seqStart: sequence,
		}),
	);
	const result = JSON.parse(
		execFileSync(process.execPath, [join(__dirname, 'load.mjs'), specFile], {
			encoding: 'utf8',
			maxBuffer: 1 << 24,
		}),
	) as LoadResult & { sent: number };
	sequence += result.sent + 1;
	if (result.non2xx || result.errors || result.timeouts) {
		throw new Error(
			`${target.label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
		);
	}
	return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The n8n settings each table is measured with. */
export const ENGINES: Array<{ label: string; env: Record<string, string> }> = [
	{ label: "n8n's defaults", env: {} },
	{ label: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
];

export async function runEndToEndBench(env: Record<string, string> = {}): Promise<string> {
	const { tarball } = packPackage();
	const targets = PAIRS.flat();
	const n8n = await N8nInstance.start({
		version: '2.40.7',
		env,
		tarball,
		webhookPaths: targets.map((t) => t.path),
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
		workflows: targets.map(workflowOf),
	});
	const rows: string[] = [];
	try {
		for (const [ours, builtin] of PAIRS) {
			for (const target of [ours, builtin]) load(n8n, target, 3); // warm-up
			const results = new Map<Target, LoadResult[]>([
				[ours, []],
				[builtin, []],
			]);
			for (let round = 0; round < ROUNDS; round++) {
				for (const target of round % 2 ? [builtin, ours] : [ours, builtin]) {
					await sleep(2000); // let the previous run's executions finish
					results.get(target)!.push(load(n8n, target, SECONDS));
				}
			}
			const summary = (target: Target) => {
				const runs = results.get(target)!;
				return {
					rps: median(runs.map((r) => r.rps)),
					p50: median(runs.map((r) => r.p50)),
					p99: median(runs.map((r) => r.p99)),
				};
			};
			const a = summary(ours);
			const b = summary(builtin);
			rows.push(
				`| ${ours.label} | ${a.rps.toFixed(0)} | ${a.p50} / ${a.p99} ms | ${b.rps.toFixed(0)} | ${b.p50} / ${b.p99} ms | **${(a.rps / b.rps).toFixed(2)}×** | **${(a.p99 / b.p99).toFixed(2)}×** |`,
			);
			process.stderr.write(`${rows[rows.length - 1]}\n`);
		}
	} finally {
		await n8n.stop();
	}
	return [
		`| trigger | ours: deliveries/s | ours: p50 / p99 | built-in Webhook: deliveries/s | built-in: p50 / p99 | throughput ours/built-in | p99 ours/built-in |`,
		'|---|---|---|---|---|---|---|',
		...rows,
	].join('\n');
}

if (require.main === module) {
	execFileSync('npm', ['run', 'build'], { cwd: join(__dirname, '..'), stdio: 'ignore' });
	runEndToEndBench().then(
		(table) => process.stdout.write(`${table}\n`),
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
