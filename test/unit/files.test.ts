/** Files: InvoiCy base64 → binary, iLink attachment downloads; a bad file never fails the delivery. */
import { decodeBase64, fileNameFor } from '../../nodes/shared/files';
import { closedPort, startFileServer, type FileServer } from '../helpers/fileServer';
import { sample } from '../helpers/fixtures';
import {
	expectOneDocument,
	MINIMAL_PDF,
	MINIMAL_XML,
	NODES,
	RIGHT_CREDENTIALS,
	SECRETS,
	send,
} from '../helpers/unit';
import { deliver } from '../helpers/webhookContext';

describe('InvoiCy: DocPDF / DocXML base64', () => {
	const authorized = () => sample('invoicy-nfse-authorized');

	test('become binary pdf and xml whose bytes equal the decoded base64', async () => {
		const body = authorized();
		const item = expectOneDocument(await send('invoiCyNfse', body));
		const pdf = item.binary!.pdf;
		expect(pdf.mimeType).toBe('application/pdf');
		expect(pdf.fileName).toBe('NFSe_1021.pdf');
		const pdfBytes = Buffer.from(pdf.data, 'base64');
		expect(pdfBytes).toEqual(Buffer.from(body.documento.DocPDF, 'base64'));
		expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const xml = item.binary!.xml;
		expect(xml.mimeType).toBe('application/xml');
		expect(xml.fileName).toBe('NFSe_1021.xml');
		expect(Buffer.from(xml.data, 'base64').toString('utf8')).toBe(
			Buffer.from(body.documento.DocXML, 'base64').toString('utf8'),
		);
	});

	test('bad base64 keeps the delivery (200, started): no binary, files entry with error and url', async () => {
		const body = authorized();
		body.documento.DocPDF = '***this is not base64!!!***';
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.binary?.pdf).toBeUndefined();
		expect(item.binary?.xml).toBeDefined();
		const pdfEntry = (item.json.files as any[]).find((file) => file.kind === 'pdf');
		expect(pdfEntry).toEqual({
			kind: 'pdf',
			url: 'https://homolog.invoicy.com.br/DownloadPDF.aspx?ParmCript=FAKEFAKEFAKE',
			error: expect.stringMatching(/base64/),
		});
	});

	test('a DocPDF that decodes but is not a PDF gets an error note and no binary', async () => {
		const body = authorized();
		body.documento.DocPDF = Buffer.from('<html>not a pdf</html>').toString('base64');
		body.documento.DocXML = Buffer.from('%PDF-1.4 not xml').toString('base64');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.binary).toBeUndefined();
		const files = item.json.files as any[];
		expect(files.map((file) => file.error)).toEqual([
			expect.stringMatching(/PDF/),
			expect.stringMatching(/XML/),
		]);
		expect(files.every((file) => file.binaryProperty === undefined)).toBe(true);
		const warnings = (await send('invoiCyNfse', body)).logs.filter((line) => line.level === 'warn');
		expect(warnings.map((line) => line.message).join('\n')).toMatch(/pdf file/);
	});

	test.each([
		'<!DOCTYPE html><html><body>login</body></html>',
		'<html><body>erro</body></html>',
		'plain text',
	])('a DocXML that is %j is not an XML: error note, no binary', async (content) => {
		const body = authorized();
		body.documento.DocXML = Buffer.from(content).toString('base64');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.binary?.xml).toBeUndefined();
		expect((item.json.files as any[])[1]).toEqual({
			kind: 'xml',
			url: 'https://homolog.invoicy.com.br/HNUC002.aspx?ParmCript=FAKEFAKEFAKE',
			error: expect.stringMatching(/XML/),
		});
	});

	test('base64 with line breaks (MIME style) is decoded', async () => {
		const body = authorized();
		const encoded = MINIMAL_PDF.toString('base64');
		body.documento.DocPDF = encoded.replace(/(.{20})/g, '$1\r\n');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
	});

	test('an XML with leading whitespace is still an XML', async () => {
		const body = authorized();
		body.documento.DocXML = Buffer.from(`\n  ${MINIMAL_XML.toString('utf8')}`).toString('base64');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.binary!.xml.mimeType).toBe('application/xml');
	});

	test('an XML starting with a UTF-8 byte order mark is still an XML', async () => {
		const body = authorized();
		const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), MINIMAL_XML]);
		body.documento.DocXML = bytes.toString('base64');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect((item.json.files as any[])[1]).toEqual(
			expect.not.objectContaining({ error: expect.anything() }),
		);
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(bytes);
	});

	test('only a link, downloads off: files entry with the url, no binary, no error', async () => {
		const body = authorized();
		body.documento.DocPDF = '';
		body.documento.DocXML = '';
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.binary).toBeUndefined();
		expect(item.json.files).toEqual([
			{
				kind: 'pdf',
				url: 'https://homolog.invoicy.com.br/DownloadPDF.aspx?ParmCript=FAKEFAKEFAKE',
			},
			{ kind: 'xml', url: 'https://homolog.invoicy.com.br/HNUC002.aspx?ParmCript=FAKEFAKEFAKE' },
		]);
	});
});

describe('decodeBase64 and fileNameFor', () => {
	test('decodeBase64 round-trips any bytes and refuses text outside the alphabet', () => {
		for (const bytes of [
			Buffer.alloc(0),
			Buffer.from([0]),
			Buffer.from([1, 2]),
			MINIMAL_PDF,
			Buffer.from([255, 254, 253, 0, 10]),
		]) {
			expect(decodeBase64(bytes.toString('base64'))).toEqual(bytes);
		}
		expect(decodeBase64('abc$def=')).toBeNull();
		expect(decodeBase64('%PDF-1.4')).toBeNull();
	});

	test('fileNameFor builds safe names from type and number', () => {
		expect(fileNameFor('NFSe', '1021', 'pdf')).toBe('NFSe_1021.pdf');
		expect(fileNameFor('FT', 'FT 2025/123', 'pdf')).toBe('FT_2025-123.pdf');
		expect(fileNameFor('FT', '../../etc/passwd', 'xml')).not.toMatch(/[/\\]|^\./);
		expect(fileNameFor(null, null, 'xml')).toBe('document.xml');
	});
});

describe('iLink: attachments downloaded from their URLs', () => {
	let server: FileServer;
	const pdfBytes = Buffer.concat([MINIMAL_PDF, Buffer.from([0, 1, 2, 250, 251, 252])]);

	beforeEach(async () => {
		server = await startFileServer({
			'/file/pdf-token': { body: pdfBytes, contentType: 'application/pdf' },
			'/file/xml-token': { body: MINIMAL_XML, contentType: 'application/xml' },
			'/file/html-token': { body: '<html>login</html>', contentType: 'text/html' },
		});
	});
	afterEach(async () => {
		await server.close();
	});

	const withAttachments = (
		sampleName: 'ilink-new-document' | 'ilink-status-change-accepted',
		pdfUrl: string,
		xmlUrl: string,
	) => {
		const body = sample(sampleName);
		body.attachments[0].file = pdfUrl;
		body.attachments[1].file = xmlUrl;
		return body;
	};

	test.each(['iLinkNewDocument', 'iLinkStatusChange'] as const)(
		'%s: binary bytes equal what was served',
		async (kind) => {
			const body = withAttachments(
				kind === 'iLinkNewDocument' ? 'ilink-new-document' : 'ilink-status-change-accepted',
				server.url('/file/pdf-token'),
				server.url('/file/xml-token'),
			);
			const item = expectOneDocument(
				await send(kind, body, { options: { downloadAttachments: true } }),
			);
			expect(server.requests.sort()).toEqual(['/file/pdf-token', '/file/xml-token']);
			expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(pdfBytes);
			expect(item.binary!.pdf.mimeType).toBe('application/pdf');
			expect(item.binary!.pdf.fileName).toBe('FT_2025-123.pdf');
			expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
			expect(item.binary!.xml.mimeType).toBe('application/xml');
			expect(item.json.files).toEqual([
				{
					kind: 'pdf',
					url: server.url('/file/pdf-token'),
					binaryProperty: 'pdf',
					fileName: 'FT_2025-123.pdf',
				},
				{
					kind: 'xml',
					url: server.url('/file/xml-token'),
					binaryProperty: 'xml',
					fileName: 'FT_2025-123.xml',
				},
			]);
			expect(item.json.raw).toEqual(body);
		},
	);

	test('downloading is the default when the option is not set', async () => {
		const body = withAttachments(
			'ilink-new-document',
			server.url('/file/pdf-token'),
			server.url('/file/xml-token'),
		);
		const result = await deliver(
			NODES.iLinkNewDocument,
			{ body, headers: { authorization: `Bearer ${SECRETS.iLinkKey}` } },
			{
				credentials: RIGHT_CREDENTIALS,
				workflowId: 'download-default',
				// The test's file server is on 127.0.0.1: only that is allowed beyond the defaults.
				parameters: { options: { allowPrivateAddresses: true } },
			},
		);
		const item = expectOneDocument(result);
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['pdf', 'xml']);
		expect(server.requests).toHaveLength(2);
	});

	test('a 404 keeps the delivery: one item, files entry with error and url', async () => {
		const missing = server.url('/file/gone');
		const body = withAttachments('ilink-new-document', missing, server.url('/file/xml-token'));
		const result = await send('iLinkNewDocument', body, { options: { downloadAttachments: true } });
		const item = expectOneDocument(result);
		expect(item.binary?.pdf).toBeUndefined();
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
		expect((item.json.files as any[])[0]).toEqual({
			kind: 'pdf',
			url: missing,
			error: expect.stringContaining('404'),
		});
		expect(result.logs.some((line) => line.level === 'warn' && line.message.includes('pdf'))).toBe(
			true,
		);
	});

	test('a closed port keeps the delivery: one item, files entry with error and url', async () => {
		const port = await closedPort();
		const pdfUrl = `http://127.0.0.1:${port}/file/pdf`;
		const xmlUrl = `http://127.0.0.1:${port}/file/xml`;
		const item = expectOneDocument(
			await send('iLinkNewDocument', withAttachments('ilink-new-document', pdfUrl, xmlUrl), {
				options: { downloadAttachments: true },
			}),
		);
		expect(item.binary).toBeUndefined();
		expect(item.json.files).toEqual([
			{ kind: 'pdf', url: pdfUrl, error: expect.stringMatching(/^download failed/) },
			{ kind: 'xml', url: xmlUrl, error: expect.stringMatching(/^download failed/) },
		]);
	});

	test('a download that is not a PDF (e.g. a login page) gets an error note, no binary', async () => {
		const url = server.url('/file/html-token');
		const item = expectOneDocument(
			await send(
				'iLinkNewDocument',
				withAttachments('ilink-new-document', url, server.url('/file/xml-token')),
				{
					options: { downloadAttachments: true },
				},
			),
		);
		expect(item.binary?.pdf).toBeUndefined();
		expect((item.json.files as any[])[0]).toEqual({
			kind: 'pdf',
			url,
			error: expect.stringMatching(/PDF/),
		});
	});

	test('downloadAttachments false: no request reaches the server, files keep the urls', async () => {
		const body = withAttachments(
			'ilink-new-document',
			server.url('/file/pdf-token'),
			server.url('/file/xml-token'),
		);
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, { options: { downloadAttachments: false } }),
		);
		expect(server.requests).toEqual([]);
		expect(item.binary).toBeUndefined();
		expect(item.json.files).toEqual([
			{ kind: 'pdf', url: server.url('/file/pdf-token') },
			{ kind: 'xml', url: server.url('/file/xml-token') },
		]);
	});

	test('attachments of unknown type are listed as "other" and not downloaded; an xml recognised by ubl_type "ubl"', async () => {
		const body = sample('ilink-new-document');
		body.attachments = [
			{ type: 'zip', file: server.url('/file/zip') },
			{ type: '', file: server.url('/file/xml-token'), ubl_type: 'ubl' },
			{ type: 'PDF', file: server.url('/file/pdf-token') },
		];
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, { options: { downloadAttachments: true } }),
		);
		expect(item.json.files as any[]).toEqual([
			{ kind: 'other', url: server.url('/file/zip') },
			expect.objectContaining({ kind: 'xml', binaryProperty: 'xml' }),
			expect.objectContaining({ kind: 'pdf', binaryProperty: 'pdf' }),
		]);
		expect(server.requests).not.toContain('/file/zip');
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['pdf', 'xml']);
	});

	test('a slow attachment is given up after the download timeout, the delivery still goes through', async () => {
		const { createServer } = await import('node:http');
		const slow = createServer(() => {
			/* never answers */
		});
		await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
		const port = (slow.address() as { port: number }).port;
		try {
			const url = `http://127.0.0.1:${port}/file/slow`;
			const started = Date.now();
			const item = expectOneDocument(
				await send(
					'iLinkNewDocument',
					withAttachments('ilink-new-document', url, server.url('/file/xml-token')),
					{
						options: { downloadAttachments: true, downloadTimeout: 1 },
					},
				),
			);
			expect(Date.now() - started).toBeLessThan(5000);
			expect((item.json.files as any[])[0]).toEqual({
				kind: 'pdf',
				url,
				error: expect.stringMatching(/^download failed/),
			});
			expect(item.binary?.xml).toBeDefined();
		} finally {
			slow.closeAllConnections();
			await new Promise<void>((resolve) => slow.close(() => resolve()));
		}
	});
});
