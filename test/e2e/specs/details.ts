/**
 * Document Details in a real n8n (2.x and 1.x), the packed package installed as n8n's
 * community-package installer does: each fixture family delivered to the trigger that receives
 * it (iLink: the UBL downloaded from a local file server; InvoiCy: the NFS-e inline as base64 in
 * DocXML) gives the `details` the reader gives for those bytes; unreadable XML gives null and a
 * warning on the main output; the option off gives no `details`; and the example workflow
 * (trigger → Split Out → Google Sheets, the Sheets node replaced by an Edit Fields node with the
 * same column expressions) gives one flat item, and one row, per invoice line. n8n's database is
 * the witness of what ran.
 *
 * A spec of the shared-n8n e2e tier (test/e2e/suite.test.ts); `E2E_SPECS=details` runs it alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readDocumentDetails, type DocumentDetails } from '../../../nodes/shared/details';
import { startFileServer, type FileServer } from '../../helpers/fileServer';
import {
	type CredentialSpec,
	type Execution,
	executionError,
	type N8nInstance,
	nodeOutputs,
	REPO_DIR,
	type StoredItem,
	type WorkflowSpec,
} from '../harness';
import type { E2eSpec } from '../sharedN8n';
import { PATHS, PKG } from '../workflows';

const FIXTURES = join(REPO_DIR, 'test', 'fixtures', 'xml');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const PDF = readFileSync(join(REPO_DIR, 'samples', 'sample-invoice.pdf'));
/** A sender's sample delivery (nodes/<Sender>/samples), freshly parsed. */
const sample = (name: string): Record<string, any> =>
	JSON.parse(
		readFileSync(
			join(
				REPO_DIR,
				'nodes',
				name.startsWith('ilink') ? 'ILink' : 'InvoiCy',
				'samples',
				`${name}.json`,
			),
			'utf8',
		),
	);

const UBL_FIXTURES = [
	'ubl-peppol-base-example.xml',
	'ubl-peppol-allowance-example.xml',
	'ubl-peppol-creditnote-correction.xml',
	'ubl-cius-pt-ilink-varios-descontos.xml',
	'ubl-cius-pt-ilink-retencao.xml',
];
const NFSE_FIXTURES = [
	'nfse-nacional-ibscbs.xml',
	'nfse-abrasf-porto-alegre.xml',
	'nfse-abrasf-belo-horizonte.xml',
	'nfse-abrasf-campinas-soap.xml',
];
/** The invoice the Split Out workflow gets: three lines, two VAT rates. */
const LINES_UBL = 'ubl-peppol-allowance-example.xml';
const LINE_FIELDS = [
	'lineNumber',
	'description',
	'itemCode',
	'quantity',
	'unitCode',
	'unitPrice',
	'netAmount',
	'taxCategory',
	'taxPercent',
	'taxAmount',
];

const SECRETS = {
	ilinkKey: 'details-ilink-key-0123456789',
	invoicyToken: 'details-invoicy-token-0123',
};
/** Credentials of this spec's own (the shared n8n holds other specs' too). */
const CREDENTIALS: CredentialSpec[] = [
	{
		id: 'e2eDetailsCredIL',
		name: 'iLink details e2e',
		type: 'iLinkAccessKeyApi',
		data: { accessKey: SECRETS.ilinkKey },
	},
	{
		id: 'e2eDetailsCredIC',
		name: 'InvoiCy details e2e',
		type: 'invoiCyBearerTokenApi',
		data: { token: SECRETS.invoicyToken },
	},
];
const credential = (type: string) => {
	const found = CREDENTIALS.find((c) => c.type === type)!;
	return { [type]: { id: found.id, name: found.name } };
};

interface Hook {
	workflowId: string;
	node: string;
	webhookId: string;
	path: string;
}
const hook = (n: number, workflowId: string, node: string, path: string): Hook => ({
	workflowId,
	node,
	webhookId: `d7a11500-0000-4000-8000-${String(n).padStart(12, '0')}`,
	path,
});
const hookPath = (h: Hook) => `/webhook/${h.webhookId}/${h.path}`;

const HOOKS = {
	newDocument: hook(1, 'e2eDetailsNewDoc', 'New Document', PATHS.newDocument),
	statusChange: hook(2, 'e2eDetailsStatus', 'Status', PATHS.statusChange),
	nfse: hook(3, 'e2eDetailsNfse01', 'NFS-e', PATHS.nfse),
	off: hook(4, 'e2eDetailsOff001', 'New Document off', PATHS.newDocument),
	example: hook(5, 'e2eDetailsLines1', 'iLink New Document', PATHS.newDocument),
	includes: hook(6, 'e2eDetailsInclude', 'New Document includes', PATHS.newDocument),
};

/**
 * Every delivery here carries a new document id, so the duplicate memory never hides one; it is
 * off anyway, except in the example as published. `allowPrivateAddresses` lets the trigger fetch
 * from the local file server once that option exists (n8n ignores it until then).
 */
const OPTIONS = { ignoreDuplicates: false, allowPrivateAddresses: true, documentDetails: true };

function trigger(h: Hook, type: string, parameters: Record<string, unknown>) {
	return {
		id: `${h.webhookId.slice(0, 8)}-0000-4000-8000-1${h.webhookId.slice(-11)}`,
		name: h.node,
		type: `${PKG}.${type}`,
		typeVersion: 1.1,
		position: [0, 0],
		webhookId: h.webhookId,
		parameters,
		credentials:
			type === 'invoiCyNfseTrigger'
				? credential('invoiCyBearerTokenApi')
				: credential('iLinkAccessKeyApi'),
	};
}

const noOp = (name: string, n: number) => ({
	id: `d7a11500-0000-4000-8000-2${String(n).padStart(11, '0')}`,
	name,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [300, 0],
	parameters: {},
});

/** Trigger → No Operation, on the trigger's first output. */
function simpleWorkflow(h: Hook, type: string, parameters: Record<string, unknown>): WorkflowSpec {
	return {
		id: h.workflowId,
		name: `e2e details ${h.node}`,
		nodes: [trigger(h, type, parameters), noOp('After', Number(h.webhookId.slice(-2)))],
		connections: { [h.node]: { main: [[{ node: 'After', type: 'main', index: 0 }], []] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * examples/ilink-invoice-lines-to-sheet.json as shipped, except: its trigger's webhook id,
 * credential and options (the file server is on 127.0.0.1), and Google Sheets, which needs a Google account,
 * replaced by an Edit Fields node that sets the same columns from the same expressions: what n8n
 * computes there is the row Append Row would write.
 */
function exampleWorkflow(h: Hook): WorkflowSpec {
	const example = JSON.parse(
		readFileSync(join(REPO_DIR, 'examples', 'ilink-invoice-lines-to-sheet.json'), 'utf8'),
	);
	const nodes = example.nodes.map((node: any) => {
		if (node.type === `${PKG}.iLinkNewDocumentTrigger`) {
			if (node.name !== h.node || node.parameters.options?.documentDetails !== true)
				throw new Error(
					'the example changed: its trigger and options are not what this test reads',
				);
			return {
				...node,
				webhookId: h.webhookId,
				credentials: credential('iLinkAccessKeyApi'),
				parameters: { ...node.parameters, options: { ...node.parameters.options, ...OPTIONS } },
			};
		}
		if (node.type !== 'n8n-nodes-base.googleSheets') return node;
		const columns = node.parameters.columns;
		return {
			id: node.id,
			name: node.name,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: node.position,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: columns.schema.map((column: any, index: number) => ({
						id: `d7a11500-0000-4000-8000-3${String(index).padStart(11, '0')}`,
						name: column.id,
						value: columns.value[column.id],
						type: column.type,
					})),
				},
				includeOtherFields: false,
				options: {},
			},
		};
	});
	return { ...example, id: h.workflowId, nodes, active: false };
}

/** n8n's Split Out with the other two Include choices, side by side, to document what they give. */
function includesWorkflow(h: Hook): WorkflowSpec {
	const split = (name: string, n: number, parameters: Record<string, unknown>) => ({
		id: `d7a11500-0000-4000-8000-4${String(n).padStart(11, '0')}`,
		name,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [300, n * 150],
		parameters: { fieldToSplitOut: 'details.lines', ...parameters, options: {} },
	});
	return {
		id: h.workflowId,
		name: 'e2e details Split Out includes',
		nodes: [
			trigger(h, 'iLinkNewDocumentTrigger', { options: OPTIONS }),
			split('All Other Fields', 1, { include: 'allOtherFields' }),
			split('Selected Other Fields', 2, {
				include: 'selectedOtherFields',
				fieldsToInclude: 'documentNumber, issueDate, issuer.name',
			}),
		],
		connections: {
			[h.node]: {
				main: [
					[
						{ node: 'All Other Fields', type: 'main', index: 0 },
						{ node: 'Selected Other Fields', type: 'main', index: 0 },
					],
					[],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

const WORKFLOWS = [
	simpleWorkflow(HOOKS.newDocument, 'iLinkNewDocumentTrigger', { options: OPTIONS }),
	simpleWorkflow(HOOKS.statusChange, 'iLinkStatusChangeTrigger', { options: OPTIONS }),
	simpleWorkflow(HOOKS.nfse, 'invoiCyNfseTrigger', {
		authentication: 'bearerToken',
		options: OPTIONS,
	}),
	// The option left at its default.
	simpleWorkflow(HOOKS.off, 'iLinkNewDocumentTrigger', {
		options: { ignoreDuplicates: false, allowPrivateAddresses: true },
	}),
	exampleWorkflow(HOOKS.example),
	includesWorkflow(HOOKS.includes),
];

let sequence = 0;
const unique = () => `${Date.now().toString(36)}-${++sequence}`;

export const detailsSpec: E2eSpec = {
	title: 'Document Details',
	define(suite) {
		let n8n: N8nInstance;
		let files: FileServer;

		suite.needs(async () => {
			const served: Record<string, { contentType: string; body: Buffer | string }> = {
				'/doc.pdf': { contentType: 'application/pdf', body: PDF },
			};
			for (const name of UBL_FIXTURES)
				served[`/${name}`] = { contentType: 'application/xml', body: fixture(name) };
			files = await startFileServer(served);
			return {
				credentials: CREDENTIALS,
				workflows: WORKFLOWS,
				webhookPaths: Object.values(HOOKS).map(hookPath),
				close: () => files.close(),
			};
		});
		beforeAll(() => (n8n = suite.n8n));

		/** An iLink delivery of a new document whose XML attachment links to `xmlName` on the file server. */
		function iLinkBody(sampleName: string, xmlName: string) {
			const id = `details-${unique()}`;
			return {
				...sample(sampleName),
				id,
				number: `FT 2026/${id}`,
				attachments: [
					{ type: 'pdf', file: files.url('/doc.pdf') },
					{ type: 'xml', file: files.url(`/${xmlName}`) },
				],
			};
		}

		/** InvoiCy's authorized sample with `xml` inline as base64 in DocXML. */
		function invoiCyBody(xml: Buffer) {
			const body = sample('invoicy-nfse-authorized');
			body.documento.DocIDUnico = `details-${unique()}`;
			body.documento.DocXML = xml.toString('base64');
			return body;
		}

		/** Posts a delivery and returns the one execution it started, with its data. */
		async function deliver(h: Hook, body: unknown): Promise<Execution> {
			const mark = n8n.mark();
			const response = await fetch(n8n.url(hookPath(h)), {
				method: 'POST',
				headers: {
					connection: 'close',
					'content-type': 'application/json',
					authorization: `Bearer ${h === HOOKS.nfse ? SECRETS.invoicyToken : SECRETS.ilinkKey}`,
				},
				body: JSON.stringify(body),
			});
			const text = await response.text();
			expect([response.status, text]).toEqual([200, text]);
			const [execution] = await n8n.waitForExecutions(1, { after: mark });
			expect(executionError(execution)).toBeUndefined();
			expect(execution.status).toBe('success');
			return execution;
		}

		/** The trigger's one item on its first output (nothing on Invalid). */
		function triggerItem(execution: Execution, h: Hook): StoredItem {
			const [main, invalid = []] = nodeOutputs(execution, h.node);
			expect([main.length, invalid.length]).toEqual([1, 0]);
			return main[0];
		}

		const expected = (xml: Buffer) => readDocumentDetails(xml);

		it.each(UBL_FIXTURES)(
			'iLink New Document, %s downloaded: details as the reader gives them',
			async (name) => {
				const item = triggerItem(
					await deliver(HOOKS.newDocument, iLinkBody('ilink-new-document', name)),
					HOOKS.newDocument,
				);
				const { details, warnings } = expected(fixture(name));
				expect(warnings).toEqual([]);
				expect((details as DocumentDetails).format).toBe('ubl');
				expect(item.json.details).toEqual(details);
				expect(item.json.warnings).toBeUndefined();
				expect(item.json.files).toContainEqual(
					expect.objectContaining({ kind: 'xml', binaryProperty: 'xml' }),
				);
				expect(n8n.binaryBuffer(item.binary!.xml).equals(fixture(name))).toBe(true);
			},
		);

		it('iLink Document Status, a credit note downloaded: its details', async () => {
			const name = 'ubl-peppol-creditnote-correction.xml';
			const item = triggerItem(
				await deliver(HOOKS.statusChange, iLinkBody('ilink-status-change-sent', name)),
				HOOKS.statusChange,
			);
			expect(item.json.details).toEqual(expected(fixture(name)).details);
			expect(item.json.details.references.precedingInvoice).not.toBeNull();
		});

		it.each(NFSE_FIXTURES)(
			'InvoiCy NFS-e, %s inline as base64 in DocXML: details and the reader warnings',
			async (name) => {
				const item = triggerItem(await deliver(HOOKS.nfse, invoiCyBody(fixture(name))), HOOKS.nfse);
				const { details, warnings } = expected(fixture(name));
				expect(details!.format).toMatch(/^nfse-/);
				expect(item.json.details).toEqual(details);
				// Campinas' placeholders are not numbers: null, each with its warning.
				expect(item.json.warnings ?? []).toEqual(warnings);
				expect(item.json.raw.documento.DocXML).toBe(`[binary xml, ${fixture(name).length} bytes]`);
			},
		);

		it('InvoiCy NFS-e, XML with a DTD: details null with a warning, still on the main output', async () => {
			const xml = Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>');
			const item = triggerItem(await deliver(HOOKS.nfse, invoiCyBody(xml)), HOOKS.nfse);
			expect(item.json.details).toBeNull();
			expect(item.json.warnings).toEqual([
				{ path: 'details', message: expect.stringMatching(/DOCTYPE|DTD/i) },
			]);
			expect(item.binary?.xml).toBeDefined();
		});

		it('the option off (its default): no details, the XML still attached', async () => {
			const name = 'ubl-peppol-base-example.xml';
			const item = triggerItem(
				await deliver(HOOKS.off, iLinkBody('ilink-new-document', name)),
				HOOKS.off,
			);
			expect(item.json).not.toHaveProperty('details');
			expect(item.json.documentId).toMatch(/^details-/);
			expect(n8n.binaryBuffer(item.binary!.xml).equals(fixture(name))).toBe(true);
		});

		it('the example: Split Out gives one flat item per invoice line, and the sheet one row per line', async () => {
			const body = iLinkBody('ilink-new-document', LINES_UBL);
			const execution = await deliver(HOOKS.example, body);
			const lines = expected(fixture(LINES_UBL)).details!.lines;
			expect(lines.length).toBe(3);

			const [split] = nodeOutputs(execution, 'Split Out Lines');
			expect(split.map((item) => item.json)).toEqual(lines);
			for (const item of split) {
				expect(Object.keys(item.json)).toEqual(LINE_FIELDS);
				for (const value of Object.values(item.json))
					expect(value === null || typeof value !== 'object').toBe(true);
			}

			const [rows] = nodeOutputs(execution, 'Append Line Rows');
			const document = triggerItem(execution, HOOKS.example).json;
			expect(rows.map((row) => row.json)).toEqual(
				lines.map((line) => ({
					documentNumber: body.number,
					issueDate: document.issueDate,
					supplier: document.issuer.name,
					supplierTaxId: document.issuer.taxId,
					currency: 'EUR',
					lineNumber: line.lineNumber,
					description: line.description,
					quantity: line.quantity,
					unitCode: line.unitCode,
					unitPrice: line.unitPrice,
					netAmount: line.netAmount,
					taxCategory: line.taxCategory,
					taxPercent: line.taxPercent,
				})),
			);
			for (const row of rows)
				for (const column of ['lineNumber', 'quantity', 'unitPrice', 'netAmount', 'taxPercent'])
					expect(typeof row.json[column]).toBe('number');
		});

		it("Split Out's other Include choices: one item per line, but the line nested under a key named details.lines", async () => {
			const execution = await deliver(HOOKS.includes, iLinkBody('ilink-new-document', LINES_UBL));
			const lines = expected(fixture(LINES_UBL)).details!.lines;
			const document = triggerItem(execution, HOOKS.includes).json;

			const [all] = nodeOutputs(execution, 'All Other Fields');
			expect(all).toHaveLength(lines.length);
			all.forEach((item, index) => {
				expect(item.json['details.lines']).toEqual(lines[index]);
				// Every other field of the item comes along, nested objects included; `details` without its lines.
				expect(item.json.documentNumber).toBe(document.documentNumber);
				expect(typeof item.json.raw).toBe('object');
				expect(item.json.details.lines).toBeUndefined();
				expect(item.json.details.totals).toEqual(document.details.totals);
			});

			const [selected] = nodeOutputs(execution, 'Selected Other Fields');
			expect(selected.map((item) => item.json)).toEqual(
				lines.map((line) => ({
					'details.lines': line,
					documentNumber: document.documentNumber,
					issueDate: document.issueDate,
					'issuer.name': document.issuer.name,
				})),
			);
		});
	},
};
