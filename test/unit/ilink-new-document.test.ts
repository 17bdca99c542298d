import { sample } from '../helpers/fixtures';
import {
	CORE_FIELDS,
	expectInvalid,
	expectOneDocument,
	expectRecentIso,
	ILINK_EXTRA_FIELDS,
	send,
	stableFields,
} from '../helpers/unit';

const PDF_URL =
	'https://ilink.acin.pt/ilinktests-api/file/TESTpdfTOKEN0000000000000000000000000000000000000000';
const XML_URL =
	'https://ilink.acin.pt/ilinktests-api/file/TESTxmlTOKEN0000000000000000000000000000000000000000';

describe('iLink New Document Trigger: the sample', () => {
	test('is accepted with every contract field mapped exactly', async () => {
		const body = sample('ilink-new-document');
		const before = Date.now();
		const result = await send('iLinkNewDocument', body);
		const item = expectOneDocument(result);
		const json = item.json;

		expect(json.source).toBe('ilink');
		expect(json.event).toBe('document.received');
		expect(json.documentId).toBe('66a1f0c2b3d4e5.12345678');
		expect(json.documentNumber).toBe('FT 2025/123');
		expect(json.documentType).toBe('FT');
		expect(json.status).toBe('sent');
		expect(json.statusCode).toBe('sent');
		expect(json.statusDescription).toBe('Sent to customer.');
		expect(json.issuer).toEqual({ taxId: '509999990', name: 'Fornecedor Exemplo, Lda.' });
		expect(json.recipient).toEqual({ taxId: '600000000', name: 'Entidade Publica Exemplo' });
		expect(json.issueDate).toBe('2025-06-02');
		expect(json.totalAmount).toBe(123);
		expect(json.currency).toBe('EUR');
		expect(json.files).toEqual([
			{ kind: 'pdf', url: PDF_URL },
			{ kind: 'xml', url: XML_URL },
		]);
		expect(json.raw).toEqual(sample('ilink-new-document'));
		expectRecentIso(json.receivedAt, before);

		// iLink's extras
		expect(json.documentTypeCode).toBe('380');
		expect(json.direction).toBe('received');
		expect(json.ediStatus).toBe('ACCEPTED');
		expect(json.atcud).toBe('JJ37MMMM-123');
		expect(json.dueDate).toBe('2025-07-02');
		expect(json.reasons).toEqual([]);
		expect(item.binary).toBeUndefined();
	});

	test('item json has exactly the contract fields plus the iLink extras (a rename fails here)', async () => {
		const item = expectOneDocument(await send('iLinkNewDocument', sample('ilink-new-document')));
		expect(Object.keys(item.json).sort()).toEqual([...CORE_FIELDS, ...ILINK_EXTRA_FIELDS].sort());
		for (const party of [item.json.issuer, item.json.recipient]) {
			expect(Object.keys(party as object).sort()).toEqual(['name', 'taxId']);
		}
	});

	test('totalAmount falls back to amounts.total_amount when payable_amount is absent', async () => {
		const body = sample('ilink-new-document');
		delete body.amounts.payable_amount;
		body.amounts.total_amount = '99.90';
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.totalAmount).toBe(99.9);
	});

	test('totalAmount falls back to total_amount when payable_amount is an empty string (empty = absent)', async () => {
		const body = sample('ilink-new-document');
		body.amounts.payable_amount = '';
		body.amounts.total_amount = '99.90';
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.totalAmount).toBe(99.9);
	});
});

describe('iLink New Document Trigger: tolerant parsing', () => {
	test('unknown fields pass and are kept in raw', async () => {
		const body: Record<string, any> = {
			...sample('ilink-new-document'),
			brand_new_field: { nested: [1, 2] },
			platform: 'x',
		};
		body.supplier.unknown_party_field = 'kept';
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.documentId).toBe('66a1f0c2b3d4e5.12345678');
		expect((item.json.raw as any).brand_new_field).toEqual({ nested: [1, 2] });
		expect((item.json.raw as any).supplier.unknown_party_field).toBe('kept');
	});

	test('numbers as strings and strings as numbers', async () => {
		const body = sample('ilink-new-document');
		body.id = 123456;
		body.supplier.number = 509999990;
		body.amounts.payable_amount = 123.45;
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.documentId).toBe('123456');
		expect((item.json.issuer as any).taxId).toBe('509999990');
		expect(item.json.totalAmount).toBe(123.45);
	});

	test('empty strings are treated as absent', async () => {
		const body = sample('ilink-new-document');
		body.number = '';
		body.emission_date = '';
		body.atcud = '  ';
		body.customer.name = '';
		body.currency = { code: '' };
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.documentNumber).toBeNull();
		expect(item.json.issueDate).toBeNull();
		expect(item.json.atcud).toBeNull();
		expect(item.json.recipient).toEqual({ taxId: '600000000', name: null });
		expect(item.json.currency).toBeNull();
	});

	test('labels as plain strings parse ("Enviado", "Fatura", "Recebido")', async () => {
		const body = sample('ilink-new-document');
		body.state_document = 'Enviado';
		body.type_document_fact = 'Fatura';
		body.type_document = 'Recebido';
		body.currency = 'EUR';
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.status).toBe('sent');
		expect(item.json.statusCode).toBe('Enviado');
		expect(item.json.statusDescription).toBe('Enviado');
		expect(item.json.documentType).toBe('FT');
		expect(item.json.direction).toBe('received');
		expect(item.json.currency).toBe('EUR');
		expect(item.json.warnings).toBeUndefined();
	});

	test('the API envelope { success, response: { data } } is unwrapped and raw is the whole body', async () => {
		const envelope = { success: true, response: { data: sample('ilink-new-document') } };
		const item = expectOneDocument(await send('iLinkNewDocument', envelope));
		expect(item.json.documentId).toBe('66a1f0c2b3d4e5.12345678');
		expect(item.json.documentNumber).toBe('FT 2025/123');
		expect(item.json.totalAmount).toBe(123);
		expect(item.json.raw).toEqual({
			success: true,
			response: { data: sample('ilink-new-document') },
		});
	});

	test('an envelope whose data is a list gives one item per document', async () => {
		const second = { ...sample('ilink-new-document'), id: 'second.1', number: 'FT 2025/124' };
		const result = await send('iLinkNewDocument', {
			success: true,
			response: { data: [sample('ilink-new-document'), second] },
		});
		expect(result.status).toBe(200);
		expect(result.started).toBe(true);
		expect(result.outputs[0].map((item) => item.json.documentId)).toEqual([
			'66a1f0c2b3d4e5.12345678',
			'second.1',
		]);
	});

	test('a body without an id nor a number is Invalid, with a path to the problem', async () => {
		const body = sample('ilink-new-document');
		delete body.id;
		delete body.number;
		const item = expectInvalid(await send('iLinkNewDocument', body));
		expect(item.json.errors).toEqual([expect.objectContaining({ path: 'id' })]);
		expect(item.json.raw).toEqual(body);
	});

	test.each([
		['absent', undefined],
		['blank', '   '],
		['an object', { not: 'an id' }],
		['a number too large to be exact', JSON.parse('35270611222333000181550010000010211000010215')],
	])('an id that is %s falls back to the document number, with a warning', async (_label, id) => {
		const body = sample('ilink-new-document');
		if (id === undefined) delete body.id;
		else body.id = id;
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.documentId).toBe('FT 2025/123');
		expect(item.json.warnings).toEqual([
			{ path: 'id', message: 'No usable id; documentId is the document number' },
		]);
	});

	test('an optional field of the wrong type inside the envelope is null, with a warning under response.data', async () => {
		const data = sample('ilink-new-document');
		data.supplier = 'not an object';
		const item = expectOneDocument(
			await send('iLinkNewDocument', { success: true, response: { data } }),
		);
		expect(item.json.issuer).toEqual({ taxId: null, name: null });
		expect(item.json.warnings).toEqual([
			{ path: 'response.data.supplier', message: expect.stringContaining('ignored') },
		]);
	});

	test('the same body gives the same fields every time (no shared state between deliveries)', async () => {
		const first = expectOneDocument(await send('iLinkNewDocument', sample('ilink-new-document')));
		const second = expectOneDocument(await send('iLinkNewDocument', sample('ilink-new-document')));
		expect(stableFields(second.json)).toEqual(stableFields(first.json));
	});
});
