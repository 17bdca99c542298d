/**
 * Issue 18's classes on the shapes the vendors' own material shows (InvoiCy's repository
 * migrate-company/integracao-InvoiCy-BR, iLink's guides): the examples beside the properties of
 * drift.properties.test.ts, and what needs a server: downloads, redirects, n8n's egress filter.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { invoiCyCredentialTests } from '../../nodes/InvoiCy/InvoiCyCredential';
import { INVOICY_INTEGRATIONS } from '../../nodes/InvoiCy/InvoiCyFacts';
import { xmlRootName } from '../../nodes/shared/files';
import { startFileServer, type FileServer } from '../helpers/fileServer';
import { sample } from '../helpers/fixtures';
import {
	expectInvalid,
	expectNotStarted,
	expectOneDocument,
	MINIMAL_PDF,
	MINIMAL_XML,
	send,
} from '../helpers/unit';

const invoiCyAuthorized = () => sample('invoicy-nfse-authorized');
const iLinkNew = () => sample('ilink-new-document');

/** Serves the files the links of sections 5 and 9 point at, on 127.0.0.1. */
let server: FileServer;
beforeAll(async () => {
	server = await startFileServer({
		'/doc.pdf': { body: MINIMAL_PDF, contentType: 'application/pdf' },
		'/doc.xml': { body: MINIMAL_XML, contentType: 'application/xml' },
	});
});
afterAll(() => server.close());

describe('1. lists of one where one object is expected', () => {
	test('iLink: supplier, customer, amounts and state_document sent as [ {...} ] read as the object', async () => {
		const body = sample('ilink-status-change-accepted');
		const baseline = expectOneDocument(await send('iLinkStatusChange', body)).json;
		for (const field of ['supplier', 'customer', 'amounts', 'state_document', 'type_document_fact'])
			body[field] = [body[field]];
		// A status change so read is not filtered out: its state is still "accepted".
		const json = expectOneDocument(
			await send('iLinkStatusChange', body, { parameters: { states: ['accepted'] } }),
		).json;
		expect({ ...json, raw: null, receivedAt: null }).toEqual({
			...baseline,
			raw: null,
			receivedAt: null,
		});
	});

	test('InvoiCy: Resumo and NFSe as [ {...} ]', async () => {
		const body = invoiCyAuthorized();
		body.documento.Resumo = [body.documento.Resumo];
		body.documento.NFSe = [body.documento.NFSe];
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.issuer).toEqual({ taxId: '11222333000181', name: 'Empresa Exemplo Servicos Ltda' });
		expect([json.totalAmount, json.verificationCode, json.warnings]).toEqual([
			1500,
			'ABCD1234',
			undefined,
		]);
	});
});

describe('2. states and statuses as senders write them', () => {
	test.each([
		['Aceite.', 'accepted'],
		['Documento aceite pelo cliente.', 'accepted'],
		['O cliente aceitou o documento.', 'accepted'],
		['The customer accepted the invoice.', 'accepted'],
		['Rejeitado pelo cliente: falta a nota de encomenda.', 'rejected'],
		['Rejected by the customer (missing purchase order).', 'rejected'],
		['Documento não aceite.', 'other'],
		['Not yet accepted by the customer.', 'other'],
		['Não enviado: falta a configuração.', 'tosend'],
		['Recebido e aceite.', 'accepted'],
	])('iLink description %j is %j', async (description, status) => {
		const body = {
			...sample('ilink-status-change-sent'),
			state_document: { alias: 'x-unknown', description },
		};
		expect(expectOneDocument(await send('iLinkStatusChange', body)).json.status).toBe(status);
	});

	test.each([
		[{ type: 'Nota de Crédito' }, 'NC'],
		[{ type: 'nota de credito nº 12' }, 'NC'],
		[{ description: 'Fatura simplificada' }, 'FS'],
		['Fatura-Recibo', 'FR'],
		[{ type: 'GT', description: 'Guia de transporte' }, 'GT'],
	])('iLink document type %j is %j', async (type_document_fact, type) => {
		const body = { ...iLinkNew(), type_document_fact };
		expect(expectOneDocument(await send('iLinkNewDocument', body)).json.documentType).toBe(type);
	});

	test('InvoiCy\'s NFS-e emission return, SitCodigo 104 "Em processamento", is pending', async () => {
		// The shape of MIG `Emissão/NFSe/Exemplos JSON/retorno_documento_nfse.json`.
		const body = [
			{
				Codigo: 100,
				Descricao: 'Documentos processados',
				Documentos: [
					{
						DocModelo: 'NFSE',
						DocNumero: 5,
						DocSerie: '251',
						DocChaAcesso: '',
						DocProtocolo: '163871/2021',
						DocEvenSeq: 0,
						DocPDFBase64: MINIMAL_PDF.toString('base64'),
						DocPDFDownload: '',
						DocDhAut: '',
						DocXMLBase64: MINIMAL_XML.toString('base64'),
						Situacao: { SitCodigo: 104, SitDescricao: 'Em processamento' },
						NFSe: { NFSeNumero: 0, NFSeCodVerificacao: '', NFSeDataEmissao: '' },
					},
				],
			},
		];
		const item = expectOneDocument(
			await send('invoiCyNfse', body, { parameters: { statuses: ['pending'] } }),
		);
		expect(item.json).toMatchObject({
			documentId: 'NFSE:251:5',
			status: 'pending',
			statusCode: 104,
			statusDescription: 'Em processamento',
			protocol: '163871/2021',
		});
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['pdf', 'xml']);
		expect((item.json.raw as any)[0].Documentos[0].DocPDFBase64).toMatch(/^\[binary pdf/);
	});

	test.each([
		['Autorizado o uso da NFS-e', 'authorized'],
		['Cancelamento homologado', 'cancelled'],
		['Rejeição: E160 - Código do serviço inválido', 'rejected'],
	])('InvoiCy: a document whose only status is its description %j is %j', async (text, status) => {
		const body = invoiCyAuthorized();
		delete body.documento.DocStatus;
		delete body.documento.DocSitCodigo;
		body.documento.DocSitDescricao = text;
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.status).toBe(status);
	});

	test('InvoiCy: a description naming no status is still no status (Invalid)', async () => {
		const body = invoiCyAuthorized();
		delete body.documento.DocStatus;
		delete body.documento.DocSitCodigo;
		body.documento.DocSitDescricao = 'Nota processada';
		expectInvalid(await send('invoiCyNfse', body));
	});

	test('InvoiCy: a layout validation error (#inv...) is rejected; a request-level code is other', async () => {
		const body = invoiCyAuthorized();
		delete body.documento.DocStatus;
		body.documento.DocSitCodigo = '#inv0301';
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.status).toBe('rejected');
		body.documento.DocSitCodigo = 607;
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.status).toBe('other');
	});
});

describe('3. dates', () => {
	test('iLink: emission_date 20250602 (a number) is 2025-06-02, not 1970', async () => {
		const json = expectOneDocument(
			await send('iLinkNewDocument', {
				...iLinkNew(),
				emission_date: 20250602,
				due_date: '20250702',
			}),
		).json;
		expect([json.issueDate, json.dueDate, json.warnings]).toEqual([
			'2025-06-02',
			'2025-07-02',
			undefined,
		]);
	});

	test('InvoiCy: DocFusoHorario applies to every time without a zone; year 0001 is no date', async () => {
		const body = sample('invoicy-nfse-cancelled');
		body.documento.Resumo.DocFusoHorario = '-0300';
		body.documento.Resumo.DocDhAut = '2025-06-02 10:15:07';
		body.documento.Eventos[0].DocEveDhReg = '0001-01-01T00:00:00';
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.issueDate).toBe('2025-06-02T10:15:00-03:00');
		expect(json.authorizedAt).toBe('2025-06-02T10:15:07-03:00');
		expect((json.events as IDataObject[])[0].registeredAt).toBeNull();
	});
});

describe('4. hostile shapes', () => {
	test('a 200 KB amount is null, and its warning quotes 40 characters of it', async () => {
		const body = iLinkNew();
		body.amounts.payable_amount = `${'9'.repeat(200_000)}x`;
		const json = expectOneDocument(await send('iLinkNewDocument', body)).json;
		const warning = (json.warnings as IDataObject[])[0];
		expect(warning).toEqual({
			path: 'amounts.payable_amount',
			message: `Not an amount: "${'9'.repeat(40)}…"; ignored`,
		});
	});

	test('a document number of 1,000 characters gives a file name of at most 255 bytes', async () => {
		const body = invoiCyAuthorized();
		body.documento.DocNumero = `9${'8'.repeat(999)}`;
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(Buffer.byteLength(item.binary!.pdf.fileName!)).toBeLessThanOrEqual(255);
		expect(item.binary!.pdf.fileName).toMatch(/^NFSe_98+~[0-9a-f]{8}\.pdf$/);
	});
});

describe('5. files', () => {
	test('the root element decides, past declarations, comments and a doctype', () => {
		expect(
			xmlRootName(
				'\uFEFF<?xml version="1.0"?>\n<!-- c --><!DOCTYPE a [<!ENTITY x "y">]><ubl:Invoice/>',
			),
		).toBe('ubl:Invoice');
		expect(xmlRootName('<?xml version="1.0"?><div>Sessão expirada</div>')).toBe('div');
		expect(xmlRootName('Session expired')).toBeNull();
		expect(xmlRootName(`<!--${'x'.repeat(100)}`)).toBeUndefined();
	});

	test('an inline PDF that is not a PDF falls back to the link', async () => {
		const body = invoiCyAuthorized();
		body.documento.DocPDF = Buffer.from('<html>Sessão expirada</html>').toString('base64');
		body.documento.DocPDFLink = server.url('/doc.pdf');
		const item = expectOneDocument(
			await send('invoiCyNfse', body, { options: { downloadAttachments: true } }),
		);
		expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
		expect((item.json.files as IDataObject[])[0].error).toBeUndefined();
		// The inline content did not become the file: raw keeps it as it came.
		expect((item.json.raw as any).documento.DocPDF).toBe(body.documento.DocPDF);
	});

	test('without a link, the inline file that is not one keeps its error', async () => {
		const body = invoiCyAuthorized();
		body.documento.DocPDF = Buffer.from('<html>x</html>').toString('base64');
		delete body.documento.DocPDFLink;
		const item = expectOneDocument(
			await send('invoiCyNfse', body, { options: { downloadAttachments: true } }),
		);
		expect((item.json.files as IDataObject[])[0].error).toBe('the content is not a PDF file');
	});
});

describe('6. InvoiCy: other shapes', () => {
	test('a CNPJ sent as a number is padded to 14 digits, a CPF to 11', async () => {
		const body = invoiCyAuthorized();
		body.documento.Resumo.DocCNPJEmitente = 1222333000181; // 01.222.333/0001-81 lost its zero
		body.documento.Resumo.DocCNPJDestinatario = 2998224725; // CPF 029.982.247-25
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect((json.issuer as IDataObject).taxId).toBe('01222333000181');
		expect((json.recipient as IDataObject).taxId).toBe('02998224725');
	});

	test('a certificate notice under "CERTIFICADO" as a list of one', async () => {
		const body = { CERTIFICADO: [{ CNPJ: 11222333000181, Vencimento: '20261215' }] };
		const json = expectOneDocument(
			await send('invoiCyNfse', body, {
				options: { accountNotifications: ['certificate.expiring'] },
			}),
		).json;
		expect(json).toMatchObject({
			event: 'certificate.expiring',
			certificateExpiresAt: '2026-12-15',
			company: { taxId: '11222333000181' },
		});
	});

	test('an empty list is no document: Invalid', async () => {
		expectInvalid(await send('invoiCyNfse', []));
	});
});

describe('7. NFS-e Nacional', () => {
	test.each([...INVOICY_INTEGRATIONS])(
		'DocIntegracao %p is exposed as %p',
		async (code, source) => {
			const body = invoiCyAuthorized();
			body.documento.DocIntegracao = String(code);
			const json = expectOneDocument(await send('invoiCyNfse', body)).json;
			expect([json.docIntegration, json.integrationSource]).toEqual([code, source]);
		},
	);

	test("a Migrate example's shape: a hash in DocChaAcesso, the 50-digit key in NFSeCodVerificacao", async () => {
		const key = '43218080635497600014900000000000000012601234567891';
		const body = invoiCyAuthorized();
		delete body.documento.DocIDUnico;
		body.documento.DocChaAcesso = 'EccseKo+DFkiROvZc55MO7XTJm0=';
		body.documento.NFSe.NFSeCodVerificacao = key;
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json).toMatchObject({
			documentId: 'EccseKo+DFkiROvZc55MO7XTJm0=',
			accessKey: 'EccseKo+DFkiROvZc55MO7XTJm0=',
			verificationCode: key,
			nationalKey: key,
		});
	});

	test.each([
		[15, 'pending'],
		[16, 'rejected'],
	])('notification type %p with no status code is %p', async (type, status) => {
		const body = invoiCyAuthorized();
		delete body.documento.DocStatus;
		delete body.documento.DocSitCodigo;
		delete body.documento.DocSitDescricao;
		body.documento.TipoNotificacaoWebHook = type;
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect([json.status, json.notificationType]).toEqual([status, type]);
	});

	test('IBS/CBS values in the envelope are not mapped: they stay in raw', async () => {
		const body = invoiCyAuthorized();
		body.documento.IBSCBS = { IBS: { ValIBSTot: 1 }, CBS: { ValCBS: 1 } };
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(JSON.stringify({ ...json, raw: null })).not.toMatch(/IBS|CBS/);
		expect((json.raw as any).documento.IBSCBS).toEqual(body.documento.IBSCBS);
	});
});

describe('8. InvoiCy Basic with the token as typed', () => {
	const basic = (credential: IDataObject) => ({
		parameters: { authentication: 'basicAuth' },
		credentials: { invoiCyBasicAuthApi: credential },
	});

	test('a token as typed is used instead of user and password', async () => {
		const options = basic({ user: 'u', password: 'p', tokenAsTyped: ' my-plain-token ' });
		const body = invoiCyAuthorized();
		expectOneDocument(
			await send('invoiCyNfse', body, { ...options, authorization: 'Basic my-plain-token' }),
		);
		const userPassword = `Basic ${Buffer.from('u:p').toString('base64')}`;
		expectNotStarted(
			await send('invoiCyNfse', body, { ...options, authorization: userPassword }),
			401,
		);
	});

	test('neither a token nor user and password: a set-up error (500), the log says what to fix', async () => {
		const result = await send(
			'invoiCyNfse',
			invoiCyAuthorized(),
			basic({ user: '', password: '' }),
		);
		expectNotStarted(result, 500);
		expect(result.logs.map((line) => line.message).join('\n')).toMatch(/has no user/);
	});

	test('the Test button checks the token when there is one, else user and password', async () => {
		const check = (data: ICredentialDataDecryptedObject) =>
			invoiCyCredentialTests.invoiCyBasicAuthTest.call({} as never, {
				id: 'c',
				name: 'c',
				type: 'invoiCyBasicAuthApi',
				data,
			});
		expect((await check({ tokenAsTyped: 'abc' })).status).toBe('OK');
		expect((await check({ tokenAsTyped: 'a\tb' })).message).toMatch(/tokenAsTyped/);
		expect((await check({ user: 'u', password: 'p' })).status).toBe('OK');
		expect((await check({})).message).toMatch(/user/);
	});
});

describe('9. attachment links to private addresses', () => {
	const withLinks = (pdf: string, xml: string) => ({
		...iLinkNew(),
		attachments: [
			{ type: 'pdf', file: pdf },
			{ type: 'xml', file: xml },
		],
	});

	test('by default a link to 127.0.0.1 is not fetched: the entry keeps the URL and says why', async () => {
		const before = server.requests.length;
		const body = withLinks(server.url('/doc.pdf'), server.url('/doc.xml'));
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, {
				options: { downloadAttachments: true, allowPrivateAddresses: false },
			}),
		);
		expect(server.requests.length).toBe(before);
		expect(item.binary).toBeUndefined();
		expect(item.json.files).toEqual([
			{
				kind: 'pdf',
				url: server.url('/doc.pdf'),
				error: expect.stringMatching(/private address \(127\.0\.0\.1\).*Allow Private Addresses/),
			},
			{ kind: 'xml', url: server.url('/doc.xml'), error: expect.stringMatching(/private address/) },
		]);
	});

	test('with Allow Private Addresses the same links are fetched', async () => {
		const body = withLinks(server.url('/doc.pdf'), server.url('/doc.xml'));
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, {
				options: { downloadAttachments: true, allowPrivateAddresses: true },
			}),
		);
		expect(Object.keys(item.binary!).sort()).toEqual(['pdf', 'xml']);
	});

	/** An httpRequest that answers as a public file host would, without a network. */
	function fakeHost(answers: Record<string, { status: number; location?: string; body?: Buffer }>) {
		const asked: string[] = [];
		const httpRequest = async (options: IHttpRequestOptions) => {
			asked.push(options.url);
			const answer = answers[options.url] ?? { status: 404 };
			return {
				statusCode: answer.status,
				headers: answer.location ? { location: answer.location } : {},
				body: answer.body ?? Buffer.alloc(0),
			};
		};
		return { asked, helpers: { httpRequest } as never };
	}

	test('a redirect to the cloud metadata address is not followed', async () => {
		const host = fakeHost({
			'https://files.example.com/doc.pdf': {
				status: 302,
				location: 'http://169.254.169.254/latest/meta-data/',
			},
			'https://files.example.com/doc.xml': { status: 301, location: '/real.xml' },
			'https://files.example.com/real.xml': { status: 200, body: MINIMAL_XML },
		});
		const body = withLinks(
			'https://files.example.com/doc.pdf',
			'https://files.example.com/doc.xml',
		);
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, {
				options: { downloadAttachments: true, allowPrivateAddresses: false },
				helpers: host.helpers,
			}),
		);
		expect(host.asked).not.toContain('http://169.254.169.254/latest/meta-data/');
		expect((item.json.files as IDataObject[])[0].error).toMatch(
			/^a redirect to the link points to a loopback, link-local or private address \(169\.254\.169\.254\)/,
		);
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
	});

	test("n8n's egress filter (n8n 2.x) refuses a name that resolves inside; its errors of lookup do not", async () => {
		const host = fakeHost({
			'https://files.example.com/doc.pdf': { status: 200, body: MINIMAL_PDF },
			'https://intranet.example.com/doc.xml': { status: 200, body: MINIMAL_XML },
		});
		const policies: string[] = [];
		const getSecureEgressFilter = (policy: string) => {
			policies.push(policy);
			return {
				validateUrl: async (url: string) => {
					if (url.includes('intranet'))
						return { ok: false, error: new Error('resolves to a restricted IP address') };
					throw new Error('getaddrinfo EAI_AGAIN');
				},
			};
		};
		const body = withLinks(
			'https://files.example.com/doc.pdf',
			'https://intranet.example.com/doc.xml',
		);
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, {
				options: { downloadAttachments: true, allowPrivateAddresses: false },
				helpers: { ...(host.helpers as object), getSecureEgressFilter } as never,
			}),
		);
		expect(policies.every((policy) => policy === 'enforced')).toBe(true);
		expect(Object.keys(item.binary!)).toEqual(['pdf']);
		expect((item.json.files as IDataObject[])[1].error).toMatch(
			/^n8n's egress rules refuse the link \(resolves to a restricted IP address\)/,
		);
		expect(host.asked).toEqual(['https://files.example.com/doc.pdf']);
	});

	test('only http and https links are fetched, whatever the option says', async () => {
		const body = withLinks('file:///etc/passwd', 'ftp://files.example.com/doc.xml');
		const item = expectOneDocument(
			await send('iLinkNewDocument', body, {
				options: { downloadAttachments: true, allowPrivateAddresses: true },
			}),
		);
		expect((item.json.files as IDataObject[]).map((file) => file.error)).toEqual([
			'only http and https links are downloaded, not file:',
			'only http and https links are downloaded, not ftp:',
		]);
	});
});

describe("1. iLink's API envelope", () => {
	test('{ response: [ { data } ] } is the envelope too', async () => {
		const document = { ...iLinkNew(), id: 'enveloped.1' };
		const json = expectOneDocument(
			await send('iLinkNewDocument', { success: true, response: [{ data: document }] }),
		).json;
		expect([json.documentId, json.warnings]).toEqual(['enveloped.1', undefined]);
	});
});
