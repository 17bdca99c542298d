/**
 * Deliveries shaped the way senders really vary: wrong-typed optional fields, one object for a
 * list, labels in Portuguese or English, MIME-typed attachments, base64 variants, amounts in
 * every form, big numeric keys, multi-document deliveries with a broken member, and InvoiCy's
 * account notifications. A document is never lost for an optional field.
 */
import type { IDataObject } from 'n8n-workflow';

import { startFileServer, type FileServer } from '../helpers/fileServer';
import { sample } from '../helpers/fixtures';
import {
	expectInvalid,
	expectNotStarted,
	expectOneDocument,
	MINIMAL_PDF,
	MINIMAL_XML,
	send,
	stableFields,
} from '../helpers/unit';
import { ILINK_STATES } from '../../nodes/ILink/ILinkFacts';

const ALL_ILINK_STATES = ILINK_STATES.map((state) => state.value);

const iLinkDocument = () => sample('ilink-new-document');
const invoiCyDocument = () => sample('invoicy-nfse-authorized');

describe('wrong-typed optional fields never send a document to Invalid', () => {
	test('iLink: dates as Unix numbers, names and currency as numbers, one attachment object, null reasons', async () => {
		const seconds = Date.parse('2025-06-02T00:00:00Z') / 1000;
		const body = sample('ilink-status-change-rejected');
		body.emission_date = seconds;
		body.due_date = seconds * 1000 + 30 * 86_400_000;
		body.supplier.name = 123456;
		body.customer = { number: 600000000, name: 42 };
		body.currency = 978;
		body.attachments = body.attachments[0];
		body.reasons = [null, { reason: 'Falta compromisso', created_at: null }, null];
		const item = expectOneDocument(await send('iLinkStatusChange', body));
		const json = item.json;
		expect(json.issueDate).toBe('2025-06-02T00:00:00.000Z');
		expect(json.dueDate).toBe('2025-07-02T00:00:00.000Z');
		expect(json.issuer).toEqual({ taxId: '509999990', name: '123456' });
		expect(json.recipient).toEqual({ taxId: '600000000', name: '42' });
		expect(json.currency).toBe('978');
		expect(json.files).toEqual([{ kind: 'pdf', url: body.attachments.file }]);
		expect(json.reasons).toEqual([{ reason: 'Falta compromisso', createdAt: null }]);
		expect(json.warnings).toBeUndefined();
	});

	test('iLink: fields that cannot be read are null and listed in warnings, the document goes to the main output', async () => {
		const body = iLinkDocument();
		body.emission_date = { year: 2025 };
		body.supplier = ['not', 'a', 'party'];
		body.amounts = { payable_amount: 'a lot', total_amount: '0x1F' };
		body.attachments = [body.attachments[0], 42, body.attachments[1]];
		for (const invalidPayload of ['invalidOutput', 'reject']) {
			const item = expectOneDocument(
				await send('iLinkNewDocument', body, { options: { invalidPayload } }),
			);
			expect(item.json.issueDate).toBeNull();
			expect(item.json.issuer).toEqual({ taxId: null, name: null });
			expect(item.json.totalAmount).toBeNull();
			expect((item.json.files as IDataObject[]).map((file) => file.kind)).toEqual(['pdf', 'xml']);
			expect((item.json.warnings as IDataObject[]).map((warning) => warning.path).sort()).toEqual([
				'amounts.payable_amount',
				'amounts.total_amount',
				'attachments.1',
				'emission_date',
				'supplier',
			]);
			for (const warning of item.json.warnings as IDataObject[]) {
				expect(warning.message).toMatch(/ignored$/);
			}
		}
	});

	test('the warnings are logged once per delivery, with the paths', async () => {
		const body = { ...iLinkDocument(), emission_date: { year: 2025 } };
		const result = await send('iLinkNewDocument', body);
		const lines = result.logs.filter((line) => /not understood/.test(line.message));
		expect(lines).toHaveLength(1);
		expect(lines[0].level).toBe('warn');
		expect(lines[0].message).toContain('emission_date');
	});

	test('InvoiCy: Eventos as one object, documento as a one-element array, Documentos as one object', async () => {
		const cancelled = sample('invoicy-nfse-cancelled');
		const baseline = expectOneDocument(await send('invoiCyNfse', cancelled)).json;

		const oneEvent = sample('invoicy-nfse-cancelled');
		oneEvent.documento.Eventos = oneEvent.documento.Eventos[0];
		expect(stableFields(expectOneDocument(await send('invoiCyNfse', oneEvent)).json)).toEqual(
			stableFields(baseline),
		);

		const asArray = { documento: [sample('invoicy-nfse-cancelled').documento] };
		const fromArray = expectOneDocument(await send('invoiCyNfse', asArray));
		expect(stableFields(fromArray.json)).toEqual(stableFields(baseline));
		expect((fromArray.json.raw as any).documento[0].DocPDF).toMatch(/^\[binary pdf, \d+ bytes\]$/);

		const asObject = { Documentos: sample('invoicy-nfse-cancelled').documento };
		expect(stableFields(expectOneDocument(await send('invoiCyNfse', asObject)).json)).toEqual(
			stableFields(baseline),
		);
	});

	test('InvoiCy: an amount as text, a number key field, a date as Unix milliseconds', async () => {
		const body = invoiCyDocument();
		body.documento.Resumo.DocVlrTotal = 'R$ 1.500,00';
		body.documento.Resumo.DocDataEmissao = Date.parse('2025-06-02T13:00:00Z');
		body.documento.DocSerie = 1;
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.totalAmount).toBe(1500);
		expect(json.issueDate).toBe('2025-06-02T13:00:00.000Z');
		expect(json.series).toBe('1');
		expect(json.warnings).toBeUndefined();
	});

	test('objects whose String() throws ({"toString": 0}) in any field are not read as text', async () => {
		const invoiCy = invoiCyDocument();
		invoiCy.documento.TipoNotificacaoWebHook = { toString: 0 };
		invoiCy.documento.DocSerie = { toString: 0, valueOf: 0 };
		const invoiCyJson = expectOneDocument(await send('invoiCyNfse', invoiCy)).json;
		expect(invoiCyJson.series).toBeNull();
		expect((invoiCyJson.warnings as IDataObject[]).map((warning) => warning.path)).toEqual([
			'documento.DocSerie',
			'documento.TipoNotificacaoWebHook',
		]);

		const iLink = { ...sample('ilink-new-document'), state_document: { alias: { toString: 0 } } };
		expect(expectOneDocument(await send('iLinkNewDocument', iLink)).json.statusCode).toBeNull();
	});
});

describe('multi-document deliveries are judged per document', () => {
	const good = () => ({ ...invoiCyDocument().documento, DocNumero: 501, DocIDUnico: 'good-501' });
	const incomplete = () => ({ DocModelo: 'NFSe', DocSerie: '1', DocStatus: 2 });

	test.each(['invalidOutput', 'reject'])(
		'InvoiCy Documentos[] with one good and one incomplete document (On Invalid Payload: %s): good to main, broken to Invalid, one execution',
		async (invalidPayload) => {
			const body = { Documentos: [good(), incomplete()] };
			const result = await send('invoiCyNfse', body, { options: { invalidPayload } });
			expect(result.status).toBe(200);
			expect(result.started).toBe(true);
			expect(result.outputs[0].map((item) => item.json.documentId)).toEqual(['good-501']);
			expect(result.outputs[1]).toHaveLength(1);
			expect(result.outputs[1][0].json.errors).toEqual([
				{ path: 'Documentos.1.DocNumero', message: expect.any(String) },
			]);
			// Both items carry the same raw, with the decoded files as markers.
			expect((result.outputs[1][0].json.raw as any).Documentos[0].DocPDF).toMatch(/^\[binary pdf/);
			expect(result.logs.some((line) => /1 of 2 documents/.test(line.message))).toBe(true);
		},
	);

	test('iLink envelope list with one document without an id: the other one is emitted', async () => {
		const broken = { ...iLinkDocument(), id: null, number: null };
		const result = await send('iLinkNewDocument', {
			success: true,
			response: { data: [broken, { ...iLinkDocument(), id: 'second.1' }] },
		});
		expect(result.outputs[0].map((item) => item.json.documentId)).toEqual(['second.1']);
		expect(result.outputs[1].map((item) => item.json.errors)).toEqual([
			[{ path: 'response.data.0.id', message: expect.any(String) }],
		]);
	});

	test('every document broken with Reject With 422: 422 with all the issues, nothing started', async () => {
		const result = await send(
			'invoiCyNfse',
			{ Documentos: [incomplete(), incomplete()] },
			{ options: { invalidPayload: 'reject' } },
		);
		expectNotStarted(result, 422);
		expect((result.body as any).issues.map((issue: IDataObject) => issue.path)).toEqual([
			'Documentos.0.DocNumero',
			'Documentos.1.DocNumero',
		]);
	});
});

describe('iLink states: one canonical set from aliases, plain strings and labels in both languages', () => {
	test.each([
		['tosend', 'tosend'],
		['Por enviar', 'tosend'],
		['Não enviado', 'tosend'],
		['sent', 'sent'],
		['Enviado', 'sent'],
		['ENVIADA', 'sent'],
		['received', 'received'],
		['Recebido', 'received'],
		['Delivered', 'received'],
		['accepted', 'accepted'],
		['Accepted', 'accepted'],
		['Aceite', 'accepted'],
		['Aceito', 'accepted'],
		['rejected', 'rejected'],
		['Rejeitado', 'rejected'],
		['Recusado', 'rejected'],
		['Refused', 'rejected'],
		['paid', 'paid'],
		['Pago', 'paid'],
		['Em pagamento', 'other'],
		['in_payment', 'other'],
	])(
		'state %j is status %j, in all three shapes, and the States filter lets it through',
		async (label, status) => {
			const shapes = [label, { alias: label }, { alias: 'x-unknown', description: label }];
			for (const state_document of shapes) {
				const body = { ...sample('ilink-status-change-sent'), state_document };
				const item = expectOneDocument(
					await send('iLinkStatusChange', body, { parameters: { states: [status] } }),
				);
				expect(item.json.status).toBe(status);
				const others = ALL_ILINK_STATES.filter((state) => state !== status);
				expectNotStarted(
					await send('iLinkStatusChange', body, { parameters: { states: others } }),
					200,
				);
			}
			const plain = { ...sample('ilink-status-change-sent'), state_document: label };
			expect(
				expectOneDocument(
					await send('iLinkStatusChange', plain, { parameters: { states: [status] } }),
				).json.statusCode,
			).toBe(label);
		},
	);

	test('the editor offers every canonical state, received included, all selected by default', async () => {
		const { ILinkStatusChangeTrigger } = await import(
			'../../nodes/ILink/ILinkStatusChangeTrigger.node'
		);
		const states = new ILinkStatusChangeTrigger().description.properties.find(
			(property) => property.name === 'states',
		)!;
		expect(
			(states.options as Array<{ value: string }>).map((option) => option.value).sort(),
		).toEqual([...ALL_ILINK_STATES].sort());
		expect([...(states.default as string[])].sort()).toEqual([...ALL_ILINK_STATES].sort());
	});

	test.each([
		['Fatura', 'FT'],
		['Nota de Crédito', 'NC'],
		['Credit Note', 'NC'],
		['Fatura-Recibo', 'FR'],
		['Guia de remessa', 'Guia de remessa'],
	])('document type label %j is %j', async (label, type) => {
		const body = { ...iLinkDocument(), type_document_fact: label };
		expect(expectOneDocument(await send('iLinkNewDocument', body)).json.documentType).toBe(type);
	});
});

describe('duplicate keys are built from normalised values', () => {
	const sameNode = () => {
		const staticData: IDataObject = {};
		const workflowId = `wf-normalised-${Math.random()}`;
		return (kind: 'iLinkNewDocument' | 'iLinkStatusChange' | 'invoiCyNfse', body: unknown) =>
			send(kind, body, { staticData, workflowId });
	};

	test('an id with surrounding spaces and the same id without them are one document', async () => {
		const node = sameNode();
		expectOneDocument(await node('iLinkNewDocument', { ...iLinkDocument(), id: '  abc.123 ' }));
		expectNotStarted(await node('iLinkNewDocument', { ...iLinkDocument(), id: 'abc.123' }), 200);
	});

	test('state "accepted", then "Accepted", then "Aceite" are one status change', async () => {
		const node = sameNode();
		const withState = (state: unknown) => ({
			...sample('ilink-status-change-accepted'),
			state_document: state,
		});
		expectOneDocument(await node('iLinkStatusChange', withState({ alias: 'accepted' })));
		expectNotStarted(await node('iLinkStatusChange', withState({ alias: 'Accepted' })), 200);
		expectNotStarted(await node('iLinkStatusChange', withState('Aceite')), 200);
		// A different state of the same document is a new event.
		expectOneDocument(await node('iLinkStatusChange', withState('Rejeitado')));
	});

	test('InvoiCy: DocStatus 2 as a number and as " 2 " are one delivery', async () => {
		const node = sameNode();
		expectOneDocument(await node('invoiCyNfse', invoiCyDocument()));
		const spaced = invoiCyDocument();
		spaced.documento.DocStatus = ' 2 ';
		spaced.documento.DocSerie = ' 1';
		expectNotStarted(await node('invoiCyNfse', spaced), 200);
	});
});

describe('big numeric keys never become a documentId', () => {
	test('a 44-digit access key sent as a number falls back to the next id source, with a warning', async () => {
		const body = invoiCyDocument();
		// As it arrives: JSON.parse has already lost the digits a number this long cannot hold.
		body.documento.DocChaAcesso = JSON.parse('35270611222333000181550010000010211000010215');
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.documentId).toBe('NFSe:1:1021');
		expect(json.accessKey).toBeNull();
		expect(json.warnings).toEqual([
			{ path: 'documento.DocChaAcesso', message: expect.stringMatching(/too large.*ignored/) },
		]);
	});

	test('the same key as a string is the documentId', async () => {
		const body = invoiCyDocument();
		body.documento.DocChaAcesso = '35270611222333000181550010000010211000010215';
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.documentId).toBe(
			'35270611222333000181550010000010211000010215',
		);
	});
});

describe('files: inline variants, raw without the bytes', () => {
	test.each([
		['a data: URL prefix', `data:application/pdf;base64,${MINIMAL_PDF.toString('base64')}`],
		['base64url', MINIMAL_PDF.toString('base64url')],
		['unpadded base64', MINIMAL_PDF.toString('base64').replace(/=+$/, '')],
	])('DocPDF as %s decodes', async (_label, content) => {
		const body = invoiCyDocument();
		body.documento.DocPDF = content;
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
		expect((item.json.raw as any).documento.DocPDF).toBe(
			`[binary pdf, ${MINIMAL_PDF.length} bytes]`,
		);
	});

	test('a DocXML that is XML text rather than base64 is the XML itself', async () => {
		const body = invoiCyDocument();
		body.documento.DocXML = MINIMAL_XML.toString('utf8');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
		expect((item.json.raw as any).documento.DocXML).toBe(
			`[binary xml, ${MINIMAL_XML.length} bytes]`,
		);
	});

	test.each([
		'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html><body>Sessão expirada</body></html>',
		'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Login</title></head></html>',
		'<?xml version="1.0"?><!-- page --><HTML><BODY>erro</BODY></HTML>',
	])('an (X)HTML page is not the XML, even with an XML declaration: %j', async (page) => {
		const body = invoiCyDocument();
		body.documento.DocXML = Buffer.from(page).toString('base64');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.binary?.xml).toBeUndefined();
		expect((item.json.files as IDataObject[])[1].error).toMatch(/not a XML file/);
		// Content that became no file stays in raw as it came: nothing is lost.
		expect((item.json.raw as any).documento.DocXML).toBe(body.documento.DocXML);
	});

	test('content that cannot be decoded stays in raw as it came', async () => {
		const body = invoiCyDocument();
		body.documento.DocPDF = '***not base64***';
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect((item.json.raw as any).documento.DocPDF).toBe('***not base64***');
		expect((item.json.raw as any).documento.DocXML).toMatch(/^\[binary xml/);
	});

	test('event files become binary properties of their own (eventPdf1, eventXml1)', async () => {
		const body = sample('invoicy-nfse-cancelled');
		body.documento.Eventos[0].DocEvePDF = MINIMAL_PDF.toString('base64');
		body.documento.Eventos[0].DocEveXML = MINIMAL_XML.toString('base64');
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(Object.keys(item.binary!).sort()).toEqual(['eventPdf1', 'eventXml1', 'pdf', 'xml']);
		expect(Buffer.from(item.binary!.eventXml1.data, 'base64')).toEqual(MINIMAL_XML);
		expect(item.binary!.eventPdf1.fileName).toBe('NFSe_1021_eventPdf1.pdf');
		expect((item.json.raw as any).documento.Eventos[0].DocEvePDF).toMatch(/^\[binary pdf/);
	});
});

describe('files: links and attachment types', () => {
	let server: FileServer;
	beforeAll(async () => {
		server = await startFileServer({
			'/files/invoice': { body: MINIMAL_PDF, contentType: 'application/pdf' },
			'/files/ubl': { body: MINIMAL_XML, contentType: 'application/xml' },
			'/files/extra': { body: 'zip bytes', contentType: 'application/zip' },
		});
	});
	afterAll(() => server.close());

	test.each([
		['MIME types', { type: 'application/pdf' }, { type: 'text/xml' }],
		[
			'MIME types in their own field',
			{ mime_type: 'application/pdf' },
			{ mimeType: 'application/ubl+xml' },
		],
		['labels in upper case', { type: 'PDF' }, { type: 'UBL' }],
		['file extensions only', { identifier: 'FT 2025-123.PDF' }, { name: 'invoice.xml' }],
	])('iLink attachments typed by %s are downloaded', async (_label, pdf, xml) => {
		const body = iLinkDocument();
		body.attachments = [
			{ ...pdf, file: server.url('/files/invoice') },
			{ ...xml, file: server.url('/files/ubl') },
			{ type: 'application/zip', file: server.url('/files/extra') },
		];
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, { options: { downloadAttachments: true } }),
		);
		expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
		expect((item.json.files as IDataObject[])[2]).toEqual({
			kind: 'other',
			url: server.url('/files/extra'),
		});
	});

	test('InvoiCy DocPDFLink / DocXMLLink are downloaded when no inline content came', async () => {
		const body = invoiCyDocument();
		delete body.documento.DocPDF;
		body.documento.DocXML = '';
		body.documento.DocPDFLink = server.url('/files/invoice');
		body.documento.DocXMLLink = server.url('/files/ubl');
		const item = expectOneDocument(
			await send('invoiCyNfse', body, { options: { downloadAttachments: true } }),
		);
		expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
	});

	test('InvoiCy inline content wins over the link: nothing is downloaded', async () => {
		const before = server.requests.length;
		const body = invoiCyDocument();
		body.documento.DocPDFLink = server.url('/files/invoice');
		expectOneDocument(await send('invoiCyNfse', body, { options: { downloadAttachments: true } }));
		expect(server.requests.length).toBe(before);
	});
});

describe("InvoiCy's account notifications", () => {
	const certificate = () => ({
		Certificado: {
			CNPJ: '11222333000181',
			RazaoSocial: 'Empresa Exemplo Servicos Ltda',
			Apelido: 'Exemplo',
			Vencimento: '2026-12-15',
			Mensagem: 'O certificado digital vence em 15 dias.',
		},
	});
	const stopped = () => ({
		notificacao: {
			TipoNotificacao: 14,
			DescNotificacao: 'Há um pulo de numeração entre o RPS 30034 e o RPS 30036.',
			MsgPrefeitura: '',
		},
	});
	const queue = () => ({
		notificacao: { TipoNotificacao: '9', DescNotificacao: 'Inclusão na fila para consulta' },
	});
	const documentShaped = () => ({
		documento: {
			TipoNotificacaoWebHook: 8,
			CertDtaVencimento: '2026-12-15',
			CertDiasValido: 15,
			Resumo: { DocCNPJEmitente: '11222333000181' },
		},
	});
	const ALL = ['certificate.expiring', 'issuing.stopped', 'notification.other'];

	test.each([
		['certificate expiry', certificate, 'certificate.expiring'],
		['issuing stopped', stopped, 'issuing.stopped'],
		['capture queue', queue, 'notification.other'],
		['document-shaped certificate expiry', documentShaped, 'certificate.expiring'],
	])('%s: emitted as %s when the option asks for it', async (_label, body, event) => {
		const item = expectOneDocument(
			await send('invoiCyNfse', body(), { options: { accountNotifications: ALL } }),
		);
		expect(item.json.source).toBe('invoicy');
		expect(item.json.event).toBe(event);
		expect(item.json.raw).toEqual(body());
	});

	test.each([
		['certificate expiry', certificate],
		['issuing stopped', stopped],
		['document-shaped certificate expiry', documentShaped],
	])(
		'%s: by default answered 200, logged, nothing started; never Invalid',
		async (_label, body) => {
			for (const invalidPayload of ['invalidOutput', 'reject']) {
				const result = await send('invoiCyNfse', body(), { options: { invalidPayload } });
				expectNotStarted(result, 200);
				expect(result.logs.some((line) => line.level === 'info')).toBe(true);
			}
		},
	);

	test('the fields of a certificate-expiry notification', async () => {
		const json = expectOneDocument(
			await send('invoiCyNfse', certificate(), {
				options: { accountNotifications: ['certificate.expiring'] },
			}),
		).json;
		expect(json.company).toEqual({
			taxId: '11222333000181',
			name: 'Empresa Exemplo Servicos Ltda',
			alias: 'Exemplo',
		});
		expect(json.certificateExpiresAt).toBe('2026-12-15');
		expect(json.message).toBe('O certificado digital vence em 15 dias.');
		expect(json.notificationType).toBeNull();
	});

	test('an issuing-stopped notification asked for alone does not let others through', async () => {
		const options = { accountNotifications: ['issuing.stopped'] };
		expect(
			expectOneDocument(await send('invoiCyNfse', stopped(), { options })).json.message,
		).toMatch(/pulo de numeração/);
		expectNotStarted(await send('invoiCyNfse', certificate(), { options }), 200);
	});

	test('the Statuses filter does not apply to notifications, nor the notification option to documents', async () => {
		const options = { accountNotifications: ALL };
		const parameters = { statuses: [] };
		expectOneDocument(await send('invoiCyNfse', certificate(), { options, parameters }));
		expectNotStarted(await send('invoiCyNfse', invoiCyDocument(), { options, parameters }), 200);
	});

	test('Automatic mode: the notifications the node subscribed to are emitted without the option', async () => {
		const automatic = {
			parameters: { authentication: 'automatic', notificationTypes: ['2', '8'] },
			staticData: { invoiCyWebhookToken: 'registered-token' },
			authorization: 'Bearer registered-token',
		};
		const item = expectOneDocument(await send('invoiCyNfse', certificate(), automatic));
		expect(item.json.event).toBe('certificate.expiring');
		// Not subscribed, not asked for: answered 200, nothing started.
		expectNotStarted(await send('invoiCyNfse', stopped(), automatic), 200);
		// The same subscription outside Automatic mode subscribes to nothing.
		expectNotStarted(
			await send('invoiCyNfse', certificate(), {
				parameters: { authentication: 'bearerToken', notificationTypes: ['2', '8'] },
			}),
			200,
		);
	});

	test('a body that is neither a document nor a notification is still Invalid', async () => {
		const item = expectInvalid(await send('invoiCyNfse', { something: 'else' }));
		expect(item.json.errors).toEqual([{ path: 'documento', message: expect.any(String) }]);
	});
});

describe('unexpected errors are logged with their stack, answered with a generic 500', () => {
	test('a failure while reading the credential', async () => {
		const credential = {
			get accessKey(): string {
				throw new TypeError('credential store exploded');
			},
		};
		const result = await send('iLinkNewDocument', iLinkDocument(), {
			credentials: { iLinkAccessKeyApi: credential as unknown as IDataObject },
		});
		expectNotStarted(result, 500);
		expect(result.body).toEqual({ error: 'internal_error', message: expect.any(String) });
		const line = result.logs.find((entry) => entry.level === 'error')!;
		expect(line.message).toContain('credential store exploded');
		expect(line.meta?.stack).toMatch(/TypeError: credential store exploded\n\s+at /);
		expect(line.meta?.workflowId).toBeDefined();
		expect(line.meta?.nodeName).toBe('iLink New Document');
	});

	test('a failure while storing a file', async () => {
		const result = await send('invoiCyNfse', invoiCyDocument(), {
			helpers: {
				prepareBinaryData: async () => {
					throw new Error('ENOSPC: no space left on device');
				},
			},
		});
		expectNotStarted(result, 500);
		const line = result.logs.find((entry) => entry.level === 'error')!;
		expect(line.message).toContain('ENOSPC');
		expect(line.meta?.stack).toContain('ENOSPC');
		expect(JSON.stringify(result.body)).not.toContain('ENOSPC');
	});
});
