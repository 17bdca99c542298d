/**
 * In-process cost of a delivery: each trigger's webhook() against the parsing floor for the same
 * bytes (JSON.parse of the body plus Buffer.from of each base64 file), measured in one run.
 *
 * The context is a minimal n8n webhook context built once per case (so that only the node's own
 * work is timed). n8n has already parsed the body when webhook() runs, so the node gets the parsed
 * object; the floor includes that parse. prepareBinaryData keeps only metadata, as n8n's default
 * "filesystem" binary mode does once it has written the bytes out (the writing is n8n's cost, not
 * the node's). Heap: bytes still held per delivery once the returned items are kept, with binary
 * data kept in memory as base64 (n8n's in-memory mode), beyond the body n8n already holds
 * (heap plus external memory, where Node keeps Buffers and large base64 strings).
 *
 * Run: npm run bench:inprocess (after npm run build: it measures the compiled dist/ that ships).
 */
import { readFileSync } from 'node:fs';
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';

import { ILinkNewDocumentTrigger } from '../dist/nodes/ILink/ILinkNewDocumentTrigger.node.js';
import { parseILinkDelivery } from '../dist/nodes/ILink/ILinkMapping.js';
import { iLinkDocumentSchema } from '../dist/nodes/ILink/ILinkSchema.js';
import { claimNow } from '../dist/nodes/shared/duplicates.js';
import { InvoiCyNfseTrigger } from '../dist/nodes/InvoiCy/InvoiCyNfseTrigger.node.js';
import { pdfOfSize } from '../test/e2e/payloads';
import { samplePath } from '../test/helpers/fixtures';

const exposedGc = (globalThis as { gc?: () => void }).gc;
if (!exposedGc) throw new Error('run with node --expose-gc');
const gc: () => void = exposedGc;

interface Case {
	name: string;
	node: INodeType;
	credentials: IDataObject;
	headers: Record<string, string>;
	/** The i-th body: ids differ, so that duplicate memory does not short-circuit. */
	body: (i: number) => string;
	base64Fields: (body: IDataObject) => string[];
}

const fixture = (name: string) => readFileSync(samplePath(name), 'utf8');

/** A flat copy of a string (a concatenation is a rope until first read; flatten it untimed). */
const flat = (text: string) => JSON.parse(JSON.stringify(text)) as string;

function iLinkCase(): Case {
	const base = JSON.parse(fixture('ilink-new-document'));
	base.lines = Array.from({ length: 4 }, (_, i) => ({
		id: i + 1,
		description: `Service line ${i + 1}`,
		quantity: '1.00',
		unit_price: '25.00',
		tax: '23',
	}));
	return {
		name: `iLink new document (${Buffer.byteLength(JSON.stringify(base))} B JSON)`,
		node: new ILinkNewDocumentTrigger(),
		credentials: { iLinkAccessKeyApi: { accessKey: 'bench-key' } },
		headers: { authorization: 'Bearer bench-key' },
		body: (i) => JSON.stringify({ ...base, id: `bench.${i}` }),
		base64Fields: () => [],
	};
}

function invoiCyCase(label: string, pdfBytes: number): Case {
	const base = JSON.parse(fixture('invoicy-nfse-authorized'));
	base.documento.DocPDF = pdfOfSize(pdfBytes).toString('base64');
	const [head, tail] = JSON.stringify(base).split('"DocNumero":1021');
	return {
		name: `InvoiCy NFS-e, ${label} PDF`,
		node: new InvoiCyNfseTrigger(),
		credentials: { invoiCyBearerTokenApi: { token: 'bench-token' } },
		headers: { authorization: 'Bearer bench-token' },
		body: (i) => flat(`${head}"DocNumero":${100000 + i}${tail}`),
		base64Fields: (body) => {
			const doc = body.documento as IDataObject;
			return [doc.DocPDF as string, doc.DocXML as string];
		},
	};
}

function contextFor(benchCase: Case, keepBinaryInMemory: boolean) {
	let body: IDataObject = {};
	let rawBody: Buffer = Buffer.alloc(0);
	const headers: IDataObject = { ...benchCase.headers, 'content-type': 'application/json' };
	const staticData: IDataObject = {};
	const node = {
		id: `bench-${benchCase.name}-${keepBinaryInMemory}`,
		name: 'Bench',
		type: benchCase.node.description.name,
		typeVersion: 1,
		parameters: {},
	};
	const ctx = {
		getNode: () => node,
		getWorkflow: () => ({ id: 'bench-workflow' }),
		getMode: () => 'webhook',
		// Attachment downloads are network time with no floor to compare with: off, the links stay.
		getNodeParameter: (name: string, fallback: unknown) =>
			({
				authentication: 'bearerToken',
				statuses: ['authorized'],
				options: { downloadAttachments: false },
			})[name] ?? fallback,
		getCredentials: async (type: string) => benchCase.credentials[type],
		getHeaderData: () => headers,
		getBodyData: () => body,
		getRequestObject: () => ({ headers, body, rawBody, ip: '127.0.0.1' }),
		// Already answered 200 when the duplicate memory looks; a rejection would write to it.
		getResponseObject: () => ({
			statusCode: 200,
			writableFinished: true,
			closed: true,
			status() {
				throw new Error('the benchmark delivery was rejected');
			},
		}),
		getWorkflowStaticData: () => staticData,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			prepareBinaryData: async (buffer: Buffer, fileName: string, mimeType: string) => ({
				mimeType,
				fileName,
				fileSize: String(buffer.length),
				data: keepBinaryInMemory ? buffer.toString('base64') : 'filesystem-v2',
			}),
		},
	} as unknown as IWebhookFunctions;
	return {
		/** n8n hands the node the raw bytes it read and the body it parsed from them. */
		deliver: async (raw: Buffer, parsed: IDataObject) => {
			body = parsed;
			rawBody = raw;
			return await benchCase.node.webhook!.call(ctx);
		},
	};
}

function floor(benchCase: Case, text: string) {
	const parsed = JSON.parse(text) as IDataObject;
	const files = benchCase.base64Fields(parsed).map((b64) => Buffer.from(b64, 'base64'));
	return { parsed, files };
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(benchCase: Case, rounds: number, perRound: number) {
	const { deliver } = contextFor(benchCase, false);
	let next = 0;
	const nodeTimes: number[] = [];
	const floorTimes: number[] = [];
	for (let round = -3; round < rounds; round++) {
		// n8n parses the body before webhook() runs: that parse is in the floor, not in the node's time.
		const texts = Array.from({ length: perRound }, (_, i) => benchCase.body(next + i));
		const raws = texts.map((text) => Buffer.from(text));
		const parsedBodies = texts.map((text) => JSON.parse(text) as IDataObject);
		let t0 = process.hrtime.bigint();
		for (let i = 0; i < perRound; i++) {
			const result = await deliver(raws[i], parsedBodies[i]);
			if (!result.workflowData?.[0].length) throw new Error('delivery did not produce an item');
		}
		const nodeNs = Number(process.hrtime.bigint() - t0) / perRound;
		t0 = process.hrtime.bigint();
		for (let i = 0; i < perRound; i++) floor(benchCase, texts[i]);
		const floorNs = Number(process.hrtime.bigint() - t0) / perRound;
		next += perRound;
		if (round >= 0) {
			nodeTimes.push(nodeNs);
			floorTimes.push(floorNs);
		}
	}
	return { nodeUs: median(nodeTimes) / 1000, floorUs: median(floorTimes) / 1000 };
}

async function heapPerDelivery(benchCase: Case, count: number) {
	const { deliver } = contextFor(benchCase, true);
	const texts = Array.from({ length: count }, (_, i) => benchCase.body(1_000_000 + i));
	const raws = texts.map((text) => Buffer.from(text));
	const parsed = texts.map((text) => JSON.parse(text) as IDataObject);
	const kept: unknown[] = [];
	const settle = () => {
		for (let i = 0; i < 4; i++) gc();
		return process.memoryUsage();
	};
	const before = settle();
	for (let i = 0; i < texts.length; i++) kept.push(await deliver(raws[i], parsed[i]));
	const after = settle();
	const nodeBytes = after.heapUsed + after.external - (before.heapUsed + before.external);
	// Keep the inputs alive up to here, or the collector frees them mid-measurement.
	if (kept.length !== texts.length || raws.length !== parsed.length)
		throw new Error('lost results');
	return nodeBytes / texts.length;
}

/**
 * Where the iLink delivery's time goes: the steps of webhook() that cost most, each timed alone
 * on the same bodies (median of rounds, µs per delivery), beside the floor.
 */
function iLinkParts(rounds = 15, perRound = 2000): string {
	const benchCase = iLinkCase();
	const texts = Array.from({ length: perRound }, (_, i) => benchCase.body(2_000_000 + i));
	const bodies = texts.map((text) => JSON.parse(text) as IDataObject);
	const staticData: IDataObject = {};
	const answered = { statusCode: 200, writableFinished: true, closed: true };
	let key = 0;
	const steps: Array<[string, (i: number) => unknown]> = [
		['floor: JSON.parse of the body', (i) => JSON.parse(texts[i])],
		[
			'schema check as shipped (plain predicate; zod only when it says no)',
			(i) => iLinkDocumentSchema.parse(bodies[i], []),
		],
		[
			'the same check by the strict zod schema alone',
			(i) => iLinkDocumentSchema.strict.safeParse(bodies[i]),
		],
		[
			'schema parse + mapping (parseILinkDelivery)',
			(i) => parseILinkDelivery(bodies[i], 'document.received'),
		],
		[
			'duplicate memory (check, hold and hand over one key)',
			() => {
				const claim = claimNow({ scope: 'parts', staticData, maxAgeMs: 8 * 86_400_000 }, [
					{ key: `parts-${key++}` },
				]);
				if ('repeats' in claim) claim.handOver([[{ json: {} }]], answered, () => undefined);
			},
		],
	];
	const rows = steps.map(([label, step]) => {
		const times: number[] = [];
		for (let round = -3; round < rounds; round++) {
			const t0 = process.hrtime.bigint();
			for (let i = 0; i < perRound; i++) step(i);
			if (round >= 0) times.push(Number(process.hrtime.bigint() - t0) / perRound / 1000);
		}
		return `| ${label} | ${median(times).toFixed(1)} µs |`;
	});
	return ['| iLink new document: step | median per delivery |', '|---|---|', ...rows].join('\n');
}

async function main() {
	const cases = [
		iLinkCase(),
		invoiCyCase('100 KB', 100 * 1024),
		invoiCyCase('5 MB', 5 * 1024 * 1024),
	];
	const plan: Record<string, [number, number, number]> = {
		0: [30, 400, 5000],
		1: [30, 40, 200],
		2: [15, 4, 8],
	};
	const rows: string[] = [];
	for (const [index, benchCase] of cases.entries()) {
		const [rounds, perRound, heapCount] = plan[index];
		const { nodeUs, floorUs } = await measure(benchCase, rounds, perRound);
		const payload = Buffer.byteLength(benchCase.body(0));
		const heap = await heapPerDelivery(benchCase, heapCount);
		rows.push(
			`| ${benchCase.name} | ${(payload / 1024).toFixed(1)} KiB | ${nodeUs.toFixed(1)} µs | ${floorUs.toFixed(1)} µs | **${(nodeUs / floorUs).toFixed(2)}×** | ${(heap / 1024).toFixed(1)} KiB | **${(heap / payload).toFixed(2)}×** |`,
		);
	}
	const table = [
		'| delivery | body | webhook() (median) | floor: JSON.parse + base64 decode | ratio node/floor | extra heap per delivery | heap / body |',
		'|---|---|---|---|---|---|---|',
		...rows,
	].join('\n');
	process.stdout.write(`${table}\n\n${iLinkParts()}\n`);
}

void main();
