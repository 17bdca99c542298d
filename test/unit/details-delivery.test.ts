/**
 * The option *Document Details* in the delivery pipeline (nodes/shared/delivery.ts): off by
 * default and then no `details` at all; on, `details` from the document's XML, inline (InvoiCy's
 * DocXML, base64 or text) or downloaded (iLink's attachment link); unreadable or unknown XML
 * gives `details: null` with its warnings in the item's `warnings`, and the delivery still goes
 * to the main output; no XML gives `details: null` and no warning (`files` says why).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { readDocumentDetails } from '../../nodes/shared/details';
import { startFileServer, type FileServer } from '../helpers/fileServer';
import { sample } from '../helpers/fixtures';
import {
	CORE_FIELDS,
	expectOneDocument,
	MINIMAL_PDF,
	NODE_KINDS,
	NODES,
	send,
	typicalSample,
} from '../helpers/unit';

const FIXTURES = join(__dirname, '..', 'fixtures', 'xml');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const expectedDetails = (xml: Buffer | string) => {
	const result = readDocumentDetails(xml);
	expect(result.warnings).toEqual([]);
	return result.details;
};

// Downloads from 127.0.0.1 (the local file server) need allowPrivateAddresses once that option exists.
const on = { documentDetails: true, allowPrivateAddresses: true };

/** InvoiCy's authorized sample with `xml` as its DocXML (base64 unless told). */
function invoiCyWith(xml: Buffer | string, asText = false): Record<string, any> {
	const body = sample('invoicy-nfse-authorized');
	body.documento.DocXML = asText
		? String(xml)
		: Buffer.from(xml as Buffer | string).toString('base64');
	return body;
}

describe('the option', () => {
	test.each(NODE_KINDS)('%s: offered as "Document Details", boolean, off by default', (kind) => {
		const options = NODES[kind].description.properties.find((p) => p.name === 'options')!;
		expect(options.options).toContainEqual(
			expect.objectContaining({
				displayName: 'Document Details',
				name: 'documentDetails',
				type: 'boolean',
				default: false,
			}),
		);
	});

	test.each(NODE_KINDS)('%s: off by default, the item has no `details`', async (kind) => {
		const item = expectOneDocument(await send(kind, typicalSample(kind)));
		expect(item.json).not.toHaveProperty('details');
		for (const field of CORE_FIELDS) expect(item.json).toHaveProperty(field);
	});

	test('off, the same delivery gives the same item as before: only `details` differs when on', async () => {
		const body = invoiCyWith(fixture('nfse-abrasf-belo-horizonte.xml'));
		const off = expectOneDocument(await send('invoiCyNfse', body));
		const onItem = expectOneDocument(await send('invoiCyNfse', body, { options: on }));
		const { details, ...rest } = onItem.json;
		expect(details).not.toBeNull();
		const stable = (json: IDataObject) => ({ ...json, receivedAt: 'x', deliveryKey: 'x' });
		expect(stable(rest)).toEqual(stable(off.json));
		expect(onItem.binary).toEqual(off.binary);
	});
});

describe('with the XML inline (InvoiCy DocXML)', () => {
	test.each([
		['nfse-nacional-ibscbs.xml', 'nfse-nacional'],
		['nfse-abrasf-belo-horizonte.xml', 'nfse-abrasf'],
		['nfse-abrasf-porto-alegre.xml', 'nfse-abrasf'],
	])('%s as base64: details as the reader gives them (%s)', async (name, format) => {
		const xml = fixture(name);
		const result = await send('invoiCyNfse', invoiCyWith(xml), { options: on });
		const item = expectOneDocument(result);
		expect(item.json.details).toEqual(expectedDetails(xml));
		expect((item.json.details as IDataObject).format).toBe(format);
		expect(item.json).not.toHaveProperty('warnings');
		// The XML is still the binary `xml`, and raw still holds a marker in its place.
		expect(Buffer.from(item.binary!.xml.data, 'base64').equals(xml)).toBe(true);
		expect((item.json.raw as any).documento.DocXML).toBe(`[binary xml, ${xml.length} bytes]`);
		expect(result.logs.filter((line) => line.level === 'warn')).toEqual([]);
	});

	test('as XML text: the same details', async () => {
		const xml = fixture('nfse-nacional-ibscbs.xml');
		const item = expectOneDocument(
			await send('invoiCyNfse', invoiCyWith(xml.toString('utf8'), true), { options: on }),
		);
		expect(item.json.details).toEqual(expectedDetails(xml));
	});

	test("the package's own sample delivery: its minimal NFS-e gives details with nulls, no warning", async () => {
		const item = expectOneDocument(
			await send('invoiCyNfse', sample('invoicy-nfse-authorized'), { options: on }),
		);
		expect(item.json.details).toMatchObject({ format: 'nfse-abrasf', currency: 'BRL', lines: [] });
		expect(item.json).not.toHaveProperty('warnings');
	});
});

describe('with the XML downloaded (iLink attachment links)', () => {
	let server: FileServer;
	const ubl = fixture('ubl-peppol-allowance-example.xml');
	beforeAll(async () => {
		server = await startFileServer({
			'/file/pdf': { contentType: 'application/pdf', body: MINIMAL_PDF },
			'/file/ubl': { contentType: 'application/xml', body: ubl },
			'/file/creditnote': {
				contentType: 'application/xml',
				body: fixture('ubl-peppol-creditnote-correction.xml'),
			},
		});
	});
	afterAll(() => server.close());

	function withLinks(name: string, xmlPath: string): Record<string, any> {
		const body = sample(name);
		body.attachments = [
			{ type: 'pdf', file: server.url('/file/pdf') },
			{ type: 'xml', file: server.url(xmlPath) },
		];
		return body;
	}

	test.each(['iLinkNewDocument', 'iLinkStatusChange'])(
		'%s: the UBL invoice read into details, lines flat',
		async (kind) => {
			const name = kind === 'iLinkNewDocument' ? 'ilink-new-document' : 'ilink-status-change-sent';
			const item = expectOneDocument(
				await send(kind, withLinks(name, '/file/ubl'), {
					options: { ...on, downloadAttachments: true },
				}),
			);
			const details = item.json.details as any;
			expect(details).toEqual(expectedDetails(ubl));
			expect(details.format).toBe('ubl');
			expect(details.lines.length).toBeGreaterThan(1);
			for (const line of details.lines)
				for (const value of Object.values(line))
					expect(value === null || typeof value !== 'object').toBe(true);
			expect(item.binary?.xml).toBeDefined();
		},
	);

	test('a credit note', async () => {
		const item = expectOneDocument(
			await send('iLinkNewDocument', withLinks('ilink-new-document', '/file/creditnote'), {
				options: { ...on, downloadAttachments: true },
			}),
		);
		expect((item.json.details as any).references.precedingInvoice).not.toBeNull();
	});

	test('the download failed: details null, no warning of its own (the files entry says why)', async () => {
		const item = expectOneDocument(
			await send('iLinkNewDocument', withLinks('ilink-new-document', '/file/missing'), {
				options: { ...on, downloadAttachments: true },
			}),
		);
		expect(item.json.details).toBeNull();
		expect(item.json).not.toHaveProperty('warnings');
		expect((item.json.files as any[]).find((file) => file.kind === 'xml').error).toMatch(
			/download failed/,
		);
	});

	test('downloads off: no XML, details null, no warning', async () => {
		const item = expectOneDocument(
			await send('iLinkNewDocument', withLinks('ilink-new-document', '/file/ubl'), {
				options: { ...on, downloadAttachments: false },
			}),
		);
		expect(item.json.details).toBeNull();
		expect(item.json).not.toHaveProperty('warnings');
	});
});

describe('XML that does not map never fails the delivery', () => {
	test.each([
		['with a DTD', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', /DOCTYPE|DTD/i],
		['not well-formed', '<Invoice><cbc:ID>1</Invoice>', /could not be read/],
		['of another kind', '<Order><ID>1</ID></Order>', /not a UBL invoice/],
	])(
		'XML %s: details null, its warning in warnings, main output, a log line',
		async (_, xml, why) => {
			const result = await send('invoiCyNfse', invoiCyWith(xml), { options: on });
			expect(result.status).toBe(200);
			const item = expectOneDocument(result);
			expect(item.json.details).toBeNull();
			expect(item.json.warnings).toEqual([
				{ path: 'details', message: expect.stringMatching(why) },
			]);
			expect(item.binary?.xml).toBeDefined();
			expect(result.outputs[1] ?? []).toEqual([]);
			expect(result.logs).toContainEqual(
				expect.objectContaining({
					level: 'warn',
					message: expect.stringMatching(/read the document's details with 1 warning/),
				}),
			);
		},
	);

	test("a value that is not a number: null with a warning after the document's own warnings", async () => {
		const xml = fixture('nfse-abrasf-porto-alegre.xml')
			.toString('utf8')
			.replace('<ValorServicos>10.00</ValorServicos>', '<ValorServicos>1e3</ValorServicos>');
		const body = invoiCyWith(xml);
		body.documento.Resumo.DocVlrTotal = 'not an amount';
		const item = expectOneDocument(await send('invoiCyNfse', body, { options: on }));
		const details = item.json.details as any;
		expect(details.lines[0].netAmount).toBeNull();
		expect(details.lines[0].description).toBe('Teste');
		const warnings = item.json.warnings as Array<{ path: string }>;
		expect(warnings.map((warning) => warning.path)).toEqual([
			expect.stringMatching(/DocVlrTotal|totalAmount/),
			'details.lines.0.netAmount',
		]);
	});

	test('an XML file that is an HTML page: refused as the XML, so no details and no extra warning', async () => {
		const body = invoiCyWith('<!DOCTYPE html><html><body>Session expired</body></html>');
		const item = expectOneDocument(await send('invoiCyNfse', body, { options: on }));
		expect(item.binary?.xml).toBeUndefined();
		expect(item.json.details).toBeNull();
		expect(item.json).not.toHaveProperty('warnings');
	});
});
