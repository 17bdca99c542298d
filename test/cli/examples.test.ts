/**
 * The example workflows in examples/: valid n8n workflow JSON whose trigger nodes and
 * parameters are this package's, whose n8n-nodes-base nodes exist with those parameters in the
 * tested n8n versions (installed into the cache first if missing), and whose expressions resolve against
 * the item the trigger really produces from a sample delivery.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
	NodeHelpers,
	type IDataObject,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ILinkNewDocumentTrigger } from '../../nodes/ILink/ILinkNewDocumentTrigger.node';
import { ILinkStatusChangeTrigger } from '../../nodes/ILink/ILinkStatusChangeTrigger.node';
import { InvoiCyNfseTrigger } from '../../nodes/InvoiCy/InvoiCyNfseTrigger.node';
import { sample, bearer } from '../helpers/fixtures';
import { newestOfLine } from '../helpers/n8nVersions';
import { deliver } from '../helpers/webhookContext';
import { ROOT, SAMPLE_PDF, SAMPLE_UBL } from './harness';

const EXAMPLES_DIR = join(ROOT, 'examples');
const PACKAGE = 'n8n-nodes-ilink-invoicy';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: INodeParameters;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	settings: IDataObject;
}

const OUR_NODES: Record<string, () => INodeType> = {
	[`${PACKAGE}.iLinkNewDocumentTrigger`]: () => new ILinkNewDocumentTrigger(),
	[`${PACKAGE}.iLinkStatusChangeTrigger`]: () => new ILinkStatusChangeTrigger(),
	[`${PACKAGE}.invoiCyNfseTrigger`]: () => new InvoiCyNfseTrigger(),
};

/** Which sample delivery each example's trigger starts on, and one it must leave out. */
const SCENARIOS: Record<
	string,
	{ starts: Parameters<typeof sample>[0]; leavesOut?: Parameters<typeof sample>[0] }
> = {
	'ilink-new-document-to-email.json': { starts: 'ilink-new-document' },
	'ilink-rejected-alert.json': {
		starts: 'ilink-status-change-rejected',
		leavesOut: 'ilink-status-change-accepted',
	},
	'invoicy-authorized-to-sheet-and-email.json': {
		starts: 'invoicy-nfse-authorized',
		leavesOut: 'invoicy-nfse-rejected',
	},
	'ilink-invoice-lines-to-sheet.json': { starts: 'ilink-new-document' },
};

const files = readdirSync(EXAMPLES_DIR)
	.filter((name) => name.endsWith('.json'))
	.sort();
const load = (name: string): Workflow => JSON.parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8'));
const triggerOf = (workflow: Workflow) =>
	workflow.nodes.find((node) => node.type.startsWith(`${PACKAGE}.`))!;

const CREDENTIALS: Record<string, IDataObject> = {
	iLinkAccessKeyApi: { accessKey: 'example-key' },
	invoiCyBearerTokenApi: { token: 'example-token' },
	invoiCyBasicAuthApi: { user: 'u', password: 'p' },
};
const HEADERS: Record<string, Record<string, string>> = {
	iLinkAccessKeyApi: bearer('example-key'),
	invoiCyBearerTokenApi: bearer('example-token'),
	invoiCyBasicAuthApi: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
};

/**
 * Resolves `={{ ... }}` templates the simple way: each `{{ }}` is JavaScript over `$json` and
 * `$('<node>').item.json`, the item of an earlier node (here: the trigger's).
 */
function resolveTemplate(
	template: string,
	json: IDataObject,
	earlier: Record<string, IDataObject> = {},
): string {
	const $ = (name: string) => {
		if (!earlier[name]) throw new Error(`no node "${name}" before this one`);
		return { item: { json: earlier[name] } };
	};
	return template
		.slice(1)
		.replace(/\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
			String(new Function('$json', '$', `return (${expression});`)(json, $)),
		);
}

/**
 * The first item a node gets: the trigger's, or after a Split Out (Include: No Other Fields) the
 * first element of the list it splits out, as n8n's Split Out gives it.
 */
function inputOf(workflow: Workflow, node: WorkflowNode, triggerJson: IDataObject): IDataObject {
	const source = Object.entries(workflow.connections).find(([, outputs]) =>
		outputs.main.flat().some((connection) => connection.node === node.name),
	)?.[0];
	const from = workflow.nodes.find((n) => n.name === source);
	if (from?.type !== 'n8n-nodes-base.splitOut') return triggerJson;
	expect(from.parameters.include ?? 'noOtherFields').toBe('noOtherFields');
	const list = String(from.parameters.fieldToSplitOut)
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], triggerJson);
	expect(Array.isArray(list) && list.length).toBeTruthy();
	return (list as IDataObject[])[0];
}

function expressions(
	value: unknown,
	path: string,
	found: Array<[string, string]> = [],
): Array<[string, string]> {
	if (typeof value === 'string' && value.startsWith('=')) found.push([path, value]);
	else if (value && typeof value === 'object')
		for (const [key, inner] of Object.entries(value)) expressions(inner, `${path}.${key}`, found);
	return found;
}

/** iLink links its files; a local server stands in for iLink's file URLs (no outside network). */
let fileServer: http.Server;
let filesBase = '';
beforeAll(async () => {
	fileServer = http.createServer((request, response) => {
		const pdf = request.url === '/file.pdf';
		response
			.writeHead(200, { 'Content-Type': pdf ? 'application/pdf' : 'application/xml' })
			.end(pdf ? SAMPLE_PDF : SAMPLE_UBL);
	});
	await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
	filesBase = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => fileServer.close(() => resolve())));

function deliveryBody(name: Parameters<typeof sample>[0]) {
	const body = sample(name);
	for (const attachment of body.attachments ?? [])
		attachment.file = `${filesBase}/file.${attachment.type}`;
	return body;
}

test('the examples are the four documented ones', () => {
	expect(files).toEqual(Object.keys(SCENARIOS).sort());
	const readme = readFileSync(join(EXAMPLES_DIR, 'README.md'), 'utf8');
	for (const file of files) {
		expect(readme).toContain(file);
		expect(readme).toContain(triggerOf(load(file)).webhookId!);
	}
});

test('webhookIds, node ids and workflow ids are fixed and unique across the examples', () => {
	const all = files.map(load);
	const webhookIds = all.flatMap((w) =>
		w.nodes.filter((n) => n.webhookId).map((n) => n.webhookId!),
	);
	expect(webhookIds).toHaveLength(files.length);
	expect(new Set(webhookIds).size).toBe(webhookIds.length);
	for (const id of webhookIds) expect(id).toMatch(UUID);
	const nodeIds = all.flatMap((w) => w.nodes.map((n) => n.id));
	expect(new Set(nodeIds).size).toBe(nodeIds.length);
	for (const id of nodeIds) expect(id).toMatch(UUID);
	expect(new Set(all.map((w) => w.id)).size).toBe(all.length);
});

describe.each(files)('%s', (file) => {
	const workflow = load(file);
	const trigger = triggerOf(workflow);
	const node = OUR_NODES[trigger.type]?.();
	const description = node?.description as INodeTypeDescription;

	test('is an importable n8n workflow', () => {
		expect(workflow).toMatchObject({
			name: expect.any(String),
			active: false,
			settings: { executionOrder: 'v1' },
		});
		expect(workflow.id).toMatch(/^[A-Za-z0-9]{10,21}$/);
		for (const n of workflow.nodes) {
			expect(n).toMatchObject({
				id: expect.any(String),
				name: expect.any(String),
				type: expect.any(String),
				typeVersion: expect.any(Number),
			});
			expect(n.position).toHaveLength(2);
			for (const credential of Object.values(n.credentials ?? {}))
				expect(credential).toEqual({ id: expect.any(String), name: expect.any(String) });
		}
		expect(new Set(workflow.nodes.map((n) => n.name)).size).toBe(workflow.nodes.length);
		const names = new Set(workflow.nodes.map((n) => n.name));
		for (const [source, outputs] of Object.entries(workflow.connections)) {
			expect(names.has(source)).toBe(true);
			for (const connection of outputs.main.flat()) {
				expect(names.has(connection.node)).toBe(true);
				expect(connection).toMatchObject({ type: 'main', index: 0 });
			}
		}
	});

	test("its trigger is one of this package's, with parameters and credentials the node has", () => {
		expect(node).toBeDefined();
		// The node's default version: what the editor adds, and no expression per request (BENCHMARKS.md).
		expect(trigger.typeVersion).toBe(description.defaultVersion);
		expect(trigger.webhookId).toMatch(UUID);
		expect(workflow.connections[trigger.name].main).toHaveLength(description.outputs.length);

		const kept = NodeHelpers.getNodeParameters(
			description.properties,
			trigger.parameters,
			true,
			false,
			{ typeVersion: trigger.typeVersion } as never,
			description,
		)!;
		for (const [name, value] of Object.entries(trigger.parameters)) {
			expect([name, kept[name]]).toEqual([name, value]);
		}
		const options = description.properties.find((p) => p.name === 'options')!;
		const offered = (options.options ?? []).map((o) => o.name);
		for (const key of Object.keys((trigger.parameters.options as IDataObject) ?? {}))
			expect(offered).toContain(key);

		const shown = (description.credentials ?? []).filter(
			(c) =>
				!c.displayOptions ||
				NodeHelpers.displayParameter(
					kept,
					c as never,
					{ typeVersion: trigger.typeVersion } as never,
					description,
				),
		);
		expect(Object.keys(trigger.credentials ?? {})).toEqual(shown.map((c) => c.name));
	});

	test('the trigger starts on its sample delivery, and every expression resolves on the item', async () => {
		const scenario = SCENARIOS[file];
		const credentialType = Object.keys(trigger.credentials ?? {})[0];
		const setup = {
			// The local file server stands in for iLink's public file links: a loopback address,
			// which the trigger fetches only when allowed to.
			parameters: {
				...trigger.parameters,
				options: { ...(trigger.parameters.options as IDataObject), allowPrivateAddresses: true },
			},
			credentials: { [credentialType]: CREDENTIALS[credentialType] },
			// Each example its own duplicate memory: two start on the same sample document.
			workflowId: workflow.id,
		};
		const started = await deliver(
			node!,
			{ body: deliveryBody(scenario.starts), headers: HEADERS[credentialType] },
			setup,
		);
		expect(started).toMatchObject({ status: 200, started: true });
		const item = started.outputs[0][0];
		expect(item.binary?.pdf).toBeDefined();

		if (scenario.leavesOut) {
			const left = await deliver(
				node!,
				{ body: deliveryBody(scenario.leavesOut), headers: HEADERS[credentialType] },
				setup,
			);
			expect(left).toMatchObject({ status: 200, started: false });
		}

		for (const other of workflow.nodes.filter((n) => n !== trigger)) {
			const input = inputOf(workflow, other, item.json);
			for (const [path, template] of expressions(other.parameters, other.name)) {
				const resolved = resolveTemplate(template, input, { [trigger.name]: item.json });
				expect([path, resolved]).not.toEqual([
					path,
					expect.stringMatching(/undefined|null|\[object Object\]/),
				]);
			}
			const attachments = (other.parameters.options as IDataObject | undefined)?.fileAttachments;
			if (attachments) expect(Object.keys(item.binary ?? {})).toContain(attachments);
		}
	});
});

describe('n8n-nodes-base nodes against the installed n8n versions', () => {
	const cache =
		process.env.ILINK_INVOICY_N8N_CACHE ??
		join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), PACKAGE);
	const check = (version: string) => {
		const result = spawnSync(
			process.execPath,
			[
				join(__dirname, 'n8n-node-check.cjs'),
				join(cache, `n8n-${version}`),
				...files.map((f) => join(EXAMPLES_DIR, f)),
			],
			{ encoding: 'utf8' },
		);
		expect(result.stderr).toBe('');
		return JSON.parse(result.stdout) as Array<{ file: string; node: string; problems: string[] }>;
	};
	const [N8N_2, N8N_1] = [newestOfLine('2'), newestOfLine('1')];

	// Reads n8n's own node types: installs the tested versions first if they are not there yet
	// (`npm test` has already; a few minutes otherwise).
	beforeAll(() => {
		execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'n8n-install.mjs')], {
			stdio: 'inherit',
			timeout: 30 * 60_000,
		});
	}, 30 * 60_000);

	test(`${N8N_2}: every node type, version, credential and parameter exists`, () => {
		const report = check(N8N_2);
		expect(report.length).toBeGreaterThanOrEqual(4);
		expect(report.map((entry) => [entry.node, entry.problems])).toEqual(
			report.map((entry) => [entry.node, []]),
		);
	});

	test(`${N8N_1}: the same, except "Attachments (File)", which 1.x does not have`, () => {
		const report = check(N8N_1);
		for (const entry of report) {
			expect(
				entry.problems.filter(
					(problem) => !problem.startsWith('options.fileAttachments is not an option'),
				),
			).toEqual([]);
		}
	});
});
