import { sample } from '../helpers/fixtures';
import {
	CORE_FIELDS,
	expectNotStarted,
	expectOneDocument,
	expectRecentIso,
	ILINK_EXTRA_FIELDS,
	send,
} from '../helpers/unit';

const PDF_URL =
	'https://ilink.acin.pt/ilinktests-api/file/TESTpdfTOKEN0000000000000000000000000000000000000000';
const XML_URL =
	'https://ilink.acin.pt/ilinktests-api/file/TESTxmlTOKEN0000000000000000000000000000000000000000';

type StatusSample =
	| 'ilink-status-change-accepted'
	| 'ilink-status-change-rejected'
	| 'ilink-status-change-sent';

const EXPECTED: Array<{
	name: StatusSample;
	status: string;
	description: string;
	ediStatus: string;
	reasons: Array<{ reason: string | null; createdAt: string | null }>;
}> = [
	{
		name: 'ilink-status-change-accepted',
		status: 'accepted',
		description: 'Accepted by customer.',
		ediStatus: '11',
		reasons: [],
	},
	{
		name: 'ilink-status-change-rejected',
		status: 'rejected',
		description: 'Rejected by customer.',
		ediStatus: '14',
		reasons: [
			{
				reason: 'Inconformidade: deve existir número de compromisso.',
				createdAt: '2025-06-03 09:12:44',
			},
		],
	},
	{
		name: 'ilink-status-change-sent',
		status: 'sent',
		description: 'Sent to customer.',
		ediStatus: 'ACCEPTED',
		reasons: [],
	},
];

describe.each(EXPECTED)(
	'iLink Document Status Trigger: sample $name',
	({ name, status, description, ediStatus, reasons }) => {
		test('is accepted with every contract field mapped exactly', async () => {
			const before = Date.now();
			const item = expectOneDocument(await send('iLinkStatusChange', sample(name)));
			const json = item.json;
			expect(json.source).toBe('ilink');
			expect(json.event).toBe('document.status_changed');
			expect(json.documentId).toBe('66a1f0c2b3d4e5.12345678');
			expect(json.documentNumber).toBe('FT 2025/123');
			expect(json.documentType).toBe('FT');
			expect(json.status).toBe(status);
			expect(json.statusCode).toBe(status);
			expect(json.statusDescription).toBe(description);
			expect(json.issuer).toEqual({ taxId: '509999990', name: 'Fornecedor Exemplo, Lda.' });
			expect(json.recipient).toEqual({ taxId: '600000000', name: 'Entidade Publica Exemplo' });
			expect(json.issueDate).toBe('2025-06-02');
			expect(json.totalAmount).toBe(123);
			expect(json.currency).toBe('EUR');
			expect(json.files).toEqual([
				{ kind: 'pdf', url: PDF_URL },
				{ kind: 'xml', url: XML_URL },
			]);
			expect(json.raw).toEqual(sample(name));
			expectRecentIso(json.receivedAt, before);

			expect(json.reasons).toEqual(reasons);
			expect(json.documentTypeCode).toBe('380');
			expect(json.direction).toBe('issued');
			expect(json.ediStatus).toBe(ediStatus);
			expect(json.atcud).toBe('JJ37MMMM-123');
			expect(json.dueDate).toBe('2025-07-02');
		});

		test('item json has exactly the contract fields plus the iLink extras', async () => {
			const item = expectOneDocument(await send('iLinkStatusChange', sample(name)));
			expect(Object.keys(item.json).sort()).toEqual([...CORE_FIELDS, ...ILINK_EXTRA_FIELDS].sort());
		});

		test(`is filtered out (200, not started) when "${status}" is not among the node's states`, async () => {
			const others = ['tosend', 'sent', 'accepted', 'rejected', 'other'].filter(
				(state) => state !== status,
			);
			const result = await send('iLinkStatusChange', sample(name), {
				parameters: { states: others },
			});
			expectNotStarted(result, 200);
		});

		test(`starts when only "${status}" is selected`, async () => {
			const item = expectOneDocument(
				await send('iLinkStatusChange', sample(name), { parameters: { states: [status] } }),
			);
			expect(item.json.status).toBe(status);
		});
	},
);

describe('iLink Document Status Trigger: states filter and a missing state', () => {
	test('an unknown state counts as "other"', async () => {
		const body = sample('ilink-status-change-sent');
		body.state_document = { alias: 'in_payment', description: 'Em pagamento' };
		expectNotStarted(
			await send('iLinkStatusChange', body, {
				parameters: { states: ['sent', 'accepted', 'rejected', 'tosend'] },
			}),
			200,
		);
		const item = expectOneDocument(
			await send('iLinkStatusChange', body, { parameters: { states: ['other'] } }),
		);
		expect(item.json.status).toBe('other');
		expect(item.json.statusCode).toBe('in_payment');
	});

	test('the alias is lower-cased for status, kept as sent in statusCode', async () => {
		const body = sample('ilink-status-change-rejected');
		body.state_document.alias = 'Rejected';
		const item = expectOneDocument(
			await send('iLinkStatusChange', body, { parameters: { states: ['rejected'] } }),
		);
		expect(item.json.status).toBe('rejected');
		expect(item.json.statusCode).toBe('Rejected');
	});

	test('an empty states selection starts nothing', async () => {
		expectNotStarted(
			await send('iLinkStatusChange', sample('ilink-status-change-accepted'), {
				parameters: { states: [] },
			}),
			200,
		);
	});

	test.each([
		['absent', undefined],
		['null', null],
		['""', ''],
	])(
		'a status change with state_document %s is emitted as "other", with a warning (only the id is required)',
		async (_label, state) => {
			const body = sample('ilink-status-change-accepted');
			if (state === undefined) delete body.state_document;
			else body.state_document = state;
			const item = expectOneDocument(
				await send('iLinkStatusChange', body, { parameters: { states: ['other'] } }),
			);
			expect(item.json.status).toBe('other');
			expect(item.json.statusCode).toBeNull();
			expect(item.json.warnings).toEqual([
				{ path: 'state_document', message: expect.stringContaining('new state') },
			]);
			expect(item.json.event).toBe('document.status_changed');
		},
	);

	test('the new-document node does not require state_document', async () => {
		const body = sample('ilink-new-document');
		delete body.state_document;
		const item = expectOneDocument(await send('iLinkNewDocument', body));
		expect(item.json.status).toBeNull();
		expect(item.json.statusCode).toBeNull();
	});

	test('reasons as a single string or a single object are a list', async () => {
		const asString = { ...sample('ilink-status-change-rejected'), reasons: 'Falta compromisso' };
		expect(expectOneDocument(await send('iLinkStatusChange', asString)).json.reasons).toEqual([
			{ reason: 'Falta compromisso', createdAt: null },
		]);
		const asObject = {
			...sample('ilink-status-change-rejected'),
			reasons: { reason: 'X', created_at: '2025-06-04 10:00:00' },
		};
		expect(expectOneDocument(await send('iLinkStatusChange', asObject)).json.reasons).toEqual([
			{ reason: 'X', createdAt: '2025-06-04 10:00:00' },
		]);
	});

	test('plain string labels are normalised: state "Enviado" is "sent", type "Fatura" is "FT"', async () => {
		const body = {
			...sample('ilink-status-change-sent'),
			state_document: 'Enviado',
			type_document_fact: 'Fatura',
		};
		const item = expectOneDocument(
			await send('iLinkStatusChange', body, { parameters: { states: ['sent'] } }),
		);
		expect(item.json.status).toBe('sent');
		expect(item.json.statusCode).toBe('Enviado');
		expect(item.json.documentType).toBe('FT');
	});

	test('the envelope is unwrapped for status changes too', async () => {
		const body = { success: true, response: { data: sample('ilink-status-change-rejected') } };
		const item = expectOneDocument(
			await send('iLinkStatusChange', body, { parameters: { states: ['rejected'] } }),
		);
		expect(item.json.status).toBe('rejected');
		expect(item.json.raw).toEqual(body);
	});
});
