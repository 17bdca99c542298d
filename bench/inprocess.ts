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
 * Document Details (the option): its reader on a 200-line UBL invoice against fast-xml-parser on
 * the same bytes, and what the option adds to a delivery, on and off, alternating in one run; with
 * BENCH_BASELINE_DIST=<a dist/ built without the option> also this build's delivery with the
 * option off against that build's, so that "off costs nothing" is measured, not assumed.
 *
 * Run: npm run bench:inprocess (after npm run build: it measures the compiled dist/ that ships).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';

import { ILinkNewDocumentTrigger } from '../dist/nodes/ILink/ILinkNewDocumentTrigger.node.js';
import { parseILinkDelivery } from '../dist/nodes/ILink/ILinkMapping.js';
import { iLinkDocumentSchema } from '../dist/nodes/ILink/ILinkSchema.js';
import { claimNow } from '../dist/nodes/shared/duplicates.js';
import { InvoiCyNfseTrigger } from '../dist/nodes/InvoiCy/InvoiCyNfseTrigger.node.js';
import { readDocumentDetails } from '../dist/nodes/shared/details/index.js';
import { pdfOfSize } from '../test/e2e/payloads';
import { samplePath } from '../test/helpers/fixtures';
import { alternate, FXP_SAME_INFORMATION, gc, median } from './measure';
import { ublInvoice } from './ublInvoice';

interface Case {
	name: string;
	node: INodeType;
	credentials: IDataObject;
	headers: Record<string, string>;
	/** The i-th body: ids differ, so that duplicate memory does not short-circuit. */
	body: (i: number) => string;
	base64Fields: (body: IDataObject) => string[];
	/** The Options collection's settings beside `downloadAttachments: false`. */
	options?: IDataObject;
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

function invoiCyCase(label: string, pdfBytes: number, xml?: Buffer): Case {
	const base = JSON.parse(fixture('invoicy-nfse-authorized'));
	base.documento.DocPDF = pdfOfSize(pdfBytes).toString('base64');
	if (xml) base.documento.DocXML = xml.toString('base64');
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
				options: { downloadAttachments: false, ...benchCase.options },
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

/** A delivery contender: this case's webhook() on bodies it has not seen. */
function deliveries(benchCase: Case) {
	const { deliver } = contextFor(benchCase, false);
	return {
		inputs: (from: number, count: number) =>
			Array.from({ length: count }, (_, i) => {
				const text = benchCase.body(from + i);
				return [Buffer.from(text), JSON.parse(text) as IDataObject] as const;
			}),
		run: async ([raw, parsed]: readonly [Buffer, IDataObject]) => {
			const result = await deliver(raw, parsed);
			if (!result.workflowData?.[0].length) throw new Error('delivery did not produce an item');
		},
	};
}

/** The trigger classes of another build (BENCH_BASELINE_DIST), to compare a delivery with. */
async function baselineNodes(): Promise<{ iLink: INodeType; invoiCy: INodeType } | null> {
	const dist = process.env.BENCH_BASELINE_DIST;
	if (!dist) return null;
	const load = async (path: string, name: string) =>
		new ((await import(resolve(dist, path)))[name] as new () => INodeType)();
	return {
		iLink: await load('nodes/ILink/ILinkNewDocumentTrigger.node.js', 'ILinkNewDocumentTrigger'),
		invoiCy: await load('nodes/InvoiCy/InvoiCyNfseTrigger.node.js', 'InvoiCyNfseTrigger'),
	};
}

/**
 * Document Details: the reader on a 200-line UBL invoice against fast-xml-parser on the same
 * bytes (with the options that give what our reader gives: attributes, no prefixes, text
 * values); then deliveries with the option off and on (and a baseline build's, when given).
 */
async function documentDetails(): Promise<string> {
	const ubl = ublInvoice(200);
	const sameInformation = new XMLParser(FXP_SAME_INFORMATION);
	const check = readDocumentDetails(ubl);
	if (check.details?.lines.length !== 200 || check.warnings.length)
		throw new Error('the 200-line invoice did not map');
	const same = () => [ubl];
	const [ours, fxp] = await alternate(
		[
			{ inputs: same, run: (bytes: Buffer) => readDocumentDetails(bytes) },
			{ inputs: same, run: (bytes: Buffer) => sameInformation.parse(bytes) },
		],
		{ rounds: 20, perRound: 10, warmUp: 3 },
	);
	const rows = [
		`| 200-line UBL invoice (${(ubl.length / 1024).toFixed(1)} KiB): \`readDocumentDetails\` (read + mapping) | ${ours.toFixed(0)} µs | **${(ours / fxp).toFixed(2)}×** fast-xml-parser (target ≤ 1.5×) |`,
		`| the same bytes: fast-xml-parser, same information | ${fxp.toFixed(0)} µs | 1.00× |`,
	];

	const nfse = readFileSync(
		join(__dirname, '..', 'test', 'fixtures', 'xml', 'nfse-nacional-ibscbs.xml'),
	);
	const baseline = await baselineNodes();
	const groups: Array<[string, Case, INodeType | undefined, number]> = [
		['iLink new document, no XML (downloads off)', iLinkCase(), baseline?.iLink, 400],
		[
			`InvoiCy NFS-e, the national layout's XML inline (${(nfse.length / 1024).toFixed(1)} KiB)`,
			invoiCyCase('', 10 * 1024, nfse),
			baseline?.invoiCy,
			100,
		],
	];
	for (const [label, benchCase, baselineNode, perRound] of groups) {
		const off = { ...benchCase, name: `${benchCase.name} off` };
		const on = { ...benchCase, name: `${benchCase.name} on`, options: { documentDetails: true } };
		// Two alternations of two: this build off against the other build (first, both code paths
		// equally cold), then the option's cost.
		let versus = 'no baseline given (BENCH_BASELINE_DIST)';
		if (baselineNode) {
			const base = { ...benchCase, name: `${benchCase.name} base`, node: baselineNode };
			const [offTime, baseTime] = await alternate(
				[deliveries({ ...off, name: `${off.name} first` }), deliveries(base)],
				{ rounds: 30, perRound, warmUp: 3 },
			);
			versus = `${offTime.toFixed(1)} µs against ${baseTime.toFixed(1)} µs for the build without the option: **${(offTime / baseTime).toFixed(2)}×**`;
		}
		const [offTime, onTime] = await alternate([deliveries(off), deliveries(on)], {
			rounds: 30,
			perRound,
			warmUp: 3,
		});
		rows.push(
			`| ${label}: webhook(), option off | ${offTime.toFixed(1)} µs | ${versus} |`,
			`| the same, option on | ${onTime.toFixed(1)} µs | ${(onTime / offTime).toFixed(2)}× off (${onTime >= offTime ? '+' : '−'}${Math.abs(onTime - offTime).toFixed(1)} µs) |`,
		);
	}
	return ['| Document Details | median | ratio |', '|---|---|---|', ...rows].join('\n');
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
	process.stdout.write(`${table}\n\n${iLinkParts()}\n\n${await documentDetails()}\n`);
}

void main();
