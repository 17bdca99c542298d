import { sample } from '../helpers/fixtures';
import {
	CORE_FIELDS,
	expectInvalid,
	expectNotStarted,
	expectOneDocument,
	expectRecentIso,
	INVOICY_EXTRA_FIELDS,
	MINIMAL_PDF,
	MINIMAL_XML,
	rawWithFileMarkers,
	send,
} from '../helpers/unit';

type InvoiCySample = 'invoicy-nfse-authorized' | 'invoicy-nfse-cancelled' | 'invoicy-nfse-rejected';

const PDF_LINK = 'https://homolog.invoicy.com.br/DownloadPDF.aspx?ParmCript=FAKEFAKEFAKE';
const XML_LINK = 'https://homolog.invoicy.com.br/HNUC002.aspx?ParmCript=FAKEFAKEFAKE';

const CASES: Array<{
	name: InvoiCySample;
	status: string;
	statusCode: number;
	statusDescription: string;
	docStatus: number;
	notificationType: number;
	protocol: string | null;
	authorizedAt: string | null;
	verificationCode: string | null;
	nfseNumber: string;
	withFiles: boolean;
}> = [
	{
		name: 'invoicy-nfse-authorized',
		status: 'authorized',
		statusCode: 100,
		statusDescription: 'Autorizado o uso da NFS-e',
		docStatus: 2,
		notificationType: 2,
		protocol: 'PROTO-2025-000547',
		authorizedAt: '2025-06-02T10:15:07-03:00',
		verificationCode: 'ABCD1234',
		nfseNumber: '547',
		withFiles: true,
	},
	{
		name: 'invoicy-nfse-cancelled',
		status: 'cancelled',
		statusCode: 101,
		statusDescription: 'Cancelado',
		docStatus: 5,
		notificationType: 3,
		protocol: 'PROTO-2025-000547',
		authorizedAt: '2025-06-02T10:15:07-03:00',
		verificationCode: 'ABCD1234',
		nfseNumber: '547',
		withFiles: true,
	},
	{
		name: 'invoicy-nfse-rejected',
		status: 'rejected',
		statusCode: 999,
		statusDescription:
			'Rejeição: E160 - Código do serviço (item da lista) inválido para o município.',
		docStatus: 3,
		notificationType: 2,
		protocol: null,
		authorizedAt: null,
		verificationCode: null,
		nfseNumber: '0',
		withFiles: false,
	},
];

describe.each(CASES)('InvoiCy NFS-e Status Trigger: sample $name', (expected) => {
	test('is accepted with every contract field mapped exactly', async () => {
		const before = Date.now();
		const item = expectOneDocument(await send('invoiCyNfse', sample(expected.name)));
		const json = item.json;
		expect(json.source).toBe('invoicy');
		expect(json.event).toBe('nfse.status_changed');
		expect(json.documentId).toBe('NFSe:1:1021');
		expect(json.documentNumber).toBe('1021');
		expect(json.documentType).toBe('NFSe');
		expect(json.status).toBe(expected.status);
		expect(json.statusCode).toBe(expected.statusCode);
		expect(json.statusDescription).toBe(expected.statusDescription);
		expect(json.issuer).toEqual({ taxId: '11222333000181', name: 'Empresa Exemplo Servicos Ltda' });
		expect(json.recipient).toEqual({ taxId: '44555666000199', name: 'Cliente Exemplo SA' });
		// DocDataEmissao carries no zone: the document's own (DocFusoHorario -03:00) is added.
		expect(json.issueDate).toBe('2025-06-02T10:15:00-03:00');
		expect(json.totalAmount).toBe(1500);
		expect(json.currency).toBe('BRL');
		if (expected.withFiles) {
			expect(json.files).toEqual([
				{ kind: 'pdf', url: PDF_LINK, binaryProperty: 'pdf', fileName: 'NFSe_1021.pdf' },
				{ kind: 'xml', url: XML_LINK, binaryProperty: 'xml', fileName: 'NFSe_1021.xml' },
			]);
			const body = sample(expected.name);
			expect(Object.keys(item.binary ?? {}).sort()).toEqual(['pdf', 'xml']);
			expect(item.binary!.pdf.mimeType).toBe('application/pdf');
			expect(item.binary!.pdf.fileName).toBe('NFSe_1021.pdf');
			expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(
				Buffer.from(body.documento.DocPDF, 'base64'),
			);
			expect(item.binary!.xml.mimeType).toBe('application/xml');
			expect(item.binary!.xml.fileName).toBe('NFSe_1021.xml');
			expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(
				Buffer.from(body.documento.DocXML, 'base64'),
			);
		} else {
			expect(json.files).toEqual([]);
			expect(item.binary).toBeUndefined();
		}
		// The inline files live in the binary properties; raw keeps markers in their place.
		expect(json.raw).toEqual(rawWithFileMarkers(sample(expected.name)));
		expectRecentIso(json.receivedAt, before);

		// InvoiCy's extras
		expect(json.series).toBe('1');
		expect(json.nfseNumber).toBe(expected.nfseNumber);
		expect(json.verificationCode).toBe(expected.verificationCode);
		expect(json.protocol).toBe(expected.protocol);
		expect(json.docStatus).toBe(expected.docStatus);
		expect(json.notificationType).toBe(expected.notificationType);
		expect(json.accessKey).toBeNull();
		expect(json.authorizedAt).toBe(expected.authorizedAt);
		expect(json.cityHallUrl).toBeNull();
	});

	test('item json has exactly the contract fields plus the InvoiCy extras (a rename fails here)', async () => {
		const item = expectOneDocument(await send('invoiCyNfse', sample(expected.name)));
		expect(Object.keys(item.json).sort()).toEqual([...CORE_FIELDS, ...INVOICY_EXTRA_FIELDS].sort());
	});

	test(`is filtered out when "${expected.status}" is not among the node's statuses`, async () => {
		const others = [
			'pending',
			'authorized',
			'rejected',
			'cancelled',
			'voided',
			'denied',
			'other',
		].filter((status) => status !== expected.status);
		expectNotStarted(
			await send('invoiCyNfse', sample(expected.name), { parameters: { statuses: others } }),
			200,
		);
		expectOneDocument(
			await send('invoiCyNfse', sample(expected.name), {
				parameters: { statuses: [expected.status] },
			}),
		);
	});
});

describe('InvoiCy: events on the cancelled sample', () => {
	test('Eventos are mapped to events', async () => {
		const item = expectOneDocument(await send('invoiCyNfse', sample('invoicy-nfse-cancelled')));
		expect(item.json.events).toEqual([
			{
				sequence: 1,
				type: 110111,
				code: 101,
				description: 'Cancelamento',
				protocol: null,
				registeredAt: '2025-06-05T14:02:11-03:00',
			},
		]);
	});

	test('no events on the authorized sample', async () => {
		expect(
			expectOneDocument(await send('invoiCyNfse', sample('invoicy-nfse-authorized'))).json.events,
		).toEqual([]);
	});
});

/** The authorized sample with its `documento` changed by `change`. */
function authorizedWith(change: (doc: Record<string, any>) => void) {
	const body = sample('invoicy-nfse-authorized');
	change(body.documento);
	return body;
}

describe('InvoiCy: status normalisation', () => {
	test.each([
		[1, 'pending'],
		[2, 'authorized'],
		[3, 'rejected'],
		[5, 'cancelled'],
		[6, 'voided'],
		[12, 'denied'],
	])('DocStatus %p → %p (whatever DocSitCodigo says)', async (docStatus, status) => {
		const body = authorizedWith((doc) => {
			doc.DocStatus = docStatus;
			doc.DocSitCodigo = 555;
		});
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.status).toBe(status);
	});

	test.each([
		[100, 'authorized'],
		[101, 'cancelled'],
		[102, 'voided'],
		[105, 'pending'],
		[999, 'rejected'],
		[4242, 'other'],
	])('without a known DocStatus, DocSitCodigo %p → %p', async (code, status) => {
		for (const docStatus of [undefined, '', 4, 8]) {
			const body = authorizedWith((doc) => {
				if (docStatus === undefined) delete doc.DocStatus;
				else doc.DocStatus = docStatus;
				doc.DocSitCodigo = code;
			});
			const item = expectOneDocument(await send('invoiCyNfse', body));
			expect(item.json.status).toBe(status);
			expect(item.json.statusCode).toBe(code);
		}
	});

	test('neither a known DocStatus nor a known DocSitCodigo → other', async () => {
		const body = authorizedWith((doc) => {
			doc.DocStatus = 9;
			doc.DocSitCodigo = 135;
		});
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.status).toBe('other');
	});

	test('a document with no status at all is Invalid', async () => {
		const body = authorizedWith((doc) => {
			delete doc.DocStatus;
			doc.DocSitCodigo = '';
			delete doc.DocSitDescricao;
		});
		const item = expectInvalid(await send('invoiCyNfse', body));
		expect(item.json.errors).toEqual([
			{ path: 'documento.DocStatus', message: expect.any(String) },
		]);
	});
});

describe('InvoiCy: tolerant parsing', () => {
	test('numbers as strings: DocStatus "2", DocSitCodigo "100", DocNumero "1021", DocVlrTotal "1500.00"', async () => {
		const body = authorizedWith((doc) => {
			doc.DocStatus = '2';
			doc.DocSitCodigo = '100';
			doc.DocNumero = '1021';
			doc.Resumo.DocVlrTotal = '1500.00';
		});
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.status).toBe('authorized');
		expect(json.docStatus).toBe(2);
		expect(json.statusCode).toBe(100);
		expect(json.documentNumber).toBe('1021');
		expect(json.totalAmount).toBe(1500);
	});

	test.each([
		['1.500,00', 1500],
		['1500,5', 1500.5],
		['12.345.678,90', 12345678.9],
		['1500.00', 1500],
		[1500.25, 1500.25],
		['', null],
		['abc', null],
	])('DocVlrTotal %p → %p', async (value, total) => {
		const body = authorizedWith((doc) => {
			doc.Resumo.DocVlrTotal = value;
		});
		expect(expectOneDocument(await send('invoiCyNfse', body)).json.totalAmount).toBe(total);
	});

	test('DocNumero as number or string gives the same item', async () => {
		const asNumber = expectOneDocument(
			await send('invoiCyNfse', sample('invoicy-nfse-authorized')),
		).json;
		const asString = expectOneDocument(
			await send(
				'invoiCyNfse',
				authorizedWith((doc) => (doc.DocNumero = '1021')),
			),
		).json;
		expect(asString.documentNumber).toBe(asNumber.documentNumber);
		expect(asString.documentId).toBe(asNumber.documentId);
	});

	test('DocIDUnico, else DocChaAcesso, else Modelo:Serie:Numero is the documentId', async () => {
		const withId = authorizedWith((doc) => {
			doc.DocIDUnico = 'RPS-77';
			doc.DocChaAcesso = '43250611222333000181550010000010211000010215';
		});
		expect(expectOneDocument(await send('invoiCyNfse', withId)).json.documentId).toBe('RPS-77');
		const withKey = authorizedWith(
			(doc) => (doc.DocChaAcesso = '43250611222333000181550010000010211000010215'),
		);
		const json = expectOneDocument(await send('invoiCyNfse', withKey)).json;
		expect(json.documentId).toBe('43250611222333000181550010000010211000010215');
		expect(json.accessKey).toBe('43250611222333000181550010000010211000010215');
	});

	test('unknown fields pass and stay in raw', async () => {
		const body = authorizedWith((doc) => {
			doc.CampoNovo2026 = { x: [1, 'a'] };
			doc.Resumo.DocOutro = 'y';
		});
		(body as any).outroTopo = true;
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.status).toBe('authorized');
		expect((json.raw as any).documento.CampoNovo2026).toEqual({ x: [1, 'a'] });
		expect((json.raw as any).outroTopo).toBe(true);
	});

	test('empty strings are treated as absent', async () => {
		const body = authorizedWith((doc) => {
			doc.DocSerie = '';
			doc.DocProtocolo = '';
			doc.DocSitDescricao = '';
			doc.Resumo.DocNomeEmitente = '';
			doc.Resumo = { ...doc.Resumo, DocDataEmissao: '' };
			doc.NFSe = '';
			doc.Eventos = '';
		});
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.series).toBeNull();
		expect(json.protocol).toBeNull();
		expect(json.statusDescription).toBeNull();
		expect(json.issuer).toEqual({ taxId: '11222333000181', name: null });
		expect(json.issueDate).toBeNull();
		expect(json.nfseNumber).toBeNull();
		expect(json.events).toEqual([]);
		expect(json.documentId).toBe('NFSe::1021');
	});

	test('a document at the root (no "documento" wrapper) parses', async () => {
		const body = sample('invoicy-nfse-authorized').documento;
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.documentNumber).toBe('1021');
		expect(json.status).toBe('authorized');
	});

	test('the emission shape { Documentos: [...] } with Situacao and DocPDFBase64 parses', async () => {
		const body = {
			Documentos: [
				{
					DocModelo: 'NFSe',
					DocNumero: 88,
					DocSerie: 'A1',
					Situacao: { SitCodigo: 100, SitDescricao: 'Autorizado' },
					DocPDFBase64: MINIMAL_PDF.toString('base64'),
					DocXMLBase64: MINIMAL_XML.toString('base64'),
					DocPDFDownload: 'https://app.invoicy.com.br/pdf/88',
				},
			],
		};
		const item = expectOneDocument(await send('invoiCyNfse', body));
		expect(item.json.status).toBe('authorized');
		expect(item.json.statusCode).toBe(100);
		expect(item.json.statusDescription).toBe('Autorizado');
		expect(item.json.documentNumber).toBe('88');
		expect(item.json.series).toBe('A1');
		expect(item.json.documentId).toBe('NFSe:A1:88');
		expect(item.json.files).toEqual([
			{
				kind: 'pdf',
				url: 'https://app.invoicy.com.br/pdf/88',
				binaryProperty: 'pdf',
				fileName: 'NFSe_88.pdf',
			},
			{ kind: 'xml', binaryProperty: 'xml', fileName: 'NFSe_88.xml' },
		]);
		expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
		expect(item.binary!.pdf.mimeType).toBe('application/pdf');
		expect(Buffer.from(item.binary!.xml.data, 'base64')).toEqual(MINIMAL_XML);
		expect(item.json.raw).toEqual({
			Documentos: [
				{
					...body.Documentos[0],
					DocPDFBase64: `[binary pdf, ${MINIMAL_PDF.length} bytes]`,
					DocXMLBase64: `[binary xml, ${MINIMAL_XML.length} bytes]`,
				},
			],
		});
	});

	test('Situacao.SitCodigo as a string "101" → cancelled', async () => {
		const body = {
			Documentos: [
				{
					DocModelo: 'NFSe',
					DocNumero: '9',
					Situacao: { SitCodigo: '101', SitDescricao: 'Cancelado' },
				},
			],
		};
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.status).toBe('cancelled');
		expect(json.statusCode).toBe(101);
	});

	test('a document with no number, id or access key is Invalid', async () => {
		const body = authorizedWith((doc) => {
			delete doc.DocNumero;
		});
		const item = expectInvalid(await send('invoiCyNfse', body));
		expect(item.json.errors).toEqual([
			{ path: 'documento.DocNumero', message: expect.any(String) },
		]);
	});

	test('a JSON object that is neither a document nor a notification is Invalid', async () => {
		const body = { Empresa: { CNPJ: '11222333000181', Vencimento: '2026-01-01' } };
		const item = expectInvalid(await send('invoiCyNfse', body));
		expect(item.json.errors).toEqual([{ path: 'documento', message: expect.any(String) }]);
		expect(item.json.raw).toEqual(body);
		expect(item.json.source).toBe('invoicy');
	});

	test('a wrongly typed optional field is null, with a warning at its path (documento.Resumo)', async () => {
		const body = authorizedWith((doc) => {
			doc.Resumo = 42;
		});
		const json = expectOneDocument(await send('invoiCyNfse', body)).json;
		expect(json.issuer).toEqual({ taxId: null, name: null });
		expect(json.totalAmount).toBeNull();
		expect(json.warnings).toEqual([
			{ path: 'documento.Resumo', message: expect.stringContaining('expected object') },
		]);
	});
});
