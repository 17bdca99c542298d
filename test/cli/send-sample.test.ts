/**
 * `send-sample`: the CLI is spawned against a local capture server. What it sends is checked
 * byte for byte (headers per auth mode, payload per kind and status), then handed to the real
 * trigger node through deliver(), which must accept it. For iLink the capture server calls
 * deliver() before answering, so the node downloads the attachments from the CLI's own file
 * server while it is still up.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ILinkNewDocumentTrigger } from '../../nodes/ILink/ILinkNewDocumentTrigger.node';
import { ILinkStatusChangeTrigger } from '../../nodes/ILink/ILinkStatusChangeTrigger.node';
import { InvoiCyNfseTrigger } from '../../nodes/InvoiCy/InvoiCyNfseTrigger.node';
import { deliver, type DeliveryResult, type FakeSetup } from '../helpers/webhookContext';
import {
	asDelivery,
	captureServer,
	closedPort,
	printedId,
	printedNumber,
	runCli,
	SAMPLE_NFSE_XML,
	SAMPLE_PDF,
	SAMPLE_UBL,
	type Captured,
	type CaptureServer,
} from './harness';

jest.setTimeout(30_000);

const ACCESS_KEY = 'ilink-Access-Key-0123456789';
const TOKEN = 'invoicy-Bearer-Token-9876543210';
const USER = 'erp-user';
const PASSWORD = 'Pa55-word-xyz';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

const ILINK_URL_PATH = '/webhook-test/2b0c5a77-9d55-4a8e-9a52-4d4a0a3a0001/ilink-new-document?x=1';
const STATUS_URL_PATH = '/webhook-test/2b0c5a77-9d55-4a8e-9a52-4d4a0a3a0002/ilink-document-status';
const INVOICY_URL_PATH = '/webhook-test/2b0c5a77-9d55-4a8e-9a52-4d4a0a3a0003/invoicy-nfse';

/** Headers any HTTP client adds; everything else the CLI sends must be one we chose. */
const TRANSPORT_HEADERS = ['connection', 'content-length', 'host'];

let servers: CaptureServer[] = [];
async function server(respond?: Parameters<typeof captureServer>[0]) {
	const created = await captureServer(respond);
	servers.push(created);
	return created;
}
afterEach(async () => {
	await Promise.all(servers.map((s) => s.close()));
	servers = [];
});

function firstItem(result: DeliveryResult): INodeExecutionData {
	expect(result.outputs[0]).toHaveLength(1);
	return result.outputs[0][0];
}

const binaryBytes = (item: INodeExecutionData, property: string) =>
	Buffer.from(item.binary![property].data, 'base64');

/** A capture server that hands each delivery to the node and answers with the node's answer. */
async function nodeServer(run: (captured: Captured) => Promise<DeliveryResult>) {
	const results: DeliveryResult[] = [];
	const capture = await server(async (captured) => {
		const result = await run(captured);
		results.push(result);
		return { status: result.status, body: result.body, headers: result.headers };
	});
	return { capture, results };
}

function expectNoSecrets(text: string, ...secrets: string[]) {
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('usage', () => {
	test('--help prints the usage and exits 0', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/send-sample <kind> --url/);
		for (const kind of ['ilink-new-document', 'ilink-status-change', 'invoicy-nfse'])
			expect(result.stdout).toContain(kind);
	});

	test('no arguments: usage on stderr, exit 2', async () => {
		const result = await runCli([]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/missing command/);
		expect(result.stderr).toMatch(/Usage:/);
		expect(result.stdout).toBe('');
	});

	test.each([
		[['send-sample'], /missing kind/],
		[['send-it', 'invoicy-nfse'], /unknown command "send-it"/],
		[
			['send-sample', 'ilink-new-doc', '--url', 'http://x/', '--key', 'k'],
			/unknown kind "ilink-new-doc"/,
		],
		[['send-sample', 'invoicy-nfse'], /missing --url/],
		[['send-sample', 'invoicy-nfse', '--url', 'not a url'], /--url is not a valid URL/],
		[['send-sample', 'invoicy-nfse', '--url', 'ftp://example.com/x'], /--url must start with http/],
		[['send-sample', 'invoicy-nfse', '--url'], /argument missing/],
		[['send-sample', 'ilink-new-document', '--url', 'http://127.0.0.1/x'], /missing --key/],
		[
			['send-sample', 'ilink-new-document', '--url', 'http://127.0.0.1/x', '--token', 't'],
			/iLink sends only/,
		],
		[
			[
				'send-sample',
				'ilink-status-change',
				'--url',
				'http://127.0.0.1/x',
				'--key',
				'k',
				'--status',
				'paid',
			],
			/--status for ilink-status-change must be one of tosend, sent, accepted, rejected/,
		],
		[
			['send-sample', 'invoicy-nfse', '--url', 'http://127.0.0.1/x', '--status', 'accepted'],
			/must be one of authorized, rejected, cancelled, pending/,
		],
		[
			['send-sample', 'invoicy-nfse', '--url', 'http://127.0.0.1/x', '--user', 'u'],
			/--user and --password go together/,
		],
		[
			[
				'send-sample',
				'invoicy-nfse',
				'--url',
				'http://127.0.0.1/x',
				'--token',
				't',
				'--basic-token',
				'dTpw',
			],
			/choose one InvoiCy authentication/,
		],
		[
			['send-sample', 'invoicy-nfse', '--url', 'http://127.0.0.1/x', '--key', 'k'],
			/--key is for iLink/,
		],
		[['send-sample', 'invoicy-nfse', '--url', 'http://127.0.0.1/x', '--no-files'], /are for iLink/],
		[
			[
				'send-sample',
				'ilink-new-document',
				'--url',
				'http://127.0.0.1/x',
				'--key',
				'k',
				'--files-port',
				'abc',
			],
			/--files-port must be a port number/,
		],
		[
			['send-sample', 'ilink-new-document', '--url', 'http://127.0.0.1/x', '--key', ''],
			/--key must not be empty/,
		],
		[
			['send-sample', 'ilink-new-document', '--url', 'http://127.0.0.1/x', '--key', 'k', '--bogus'],
			/Unknown option '--bogus'/,
		],
		[
			['send-sample', 'invoicy-nfse', '--url', 'http://127.0.0.1/x', '--timeout', '0'],
			/--timeout must be a positive number/,
		],
	])('%j is a usage error (exit 2)', async (args, message) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).toMatch(/Usage:/);
		expect(result.stdout).toBe('');
	});

	test('a usage error never prints the secret', async () => {
		const result = await runCli([
			'send-sample',
			'ilink-new-document',
			'--url',
			'http://127.0.0.1/x',
			'--key',
			ACCESS_KEY,
			'--token',
			TOKEN,
		]);
		expect(result.code).toBe(2);
		expectNoSecrets(result.stdout + result.stderr, ACCESS_KEY, TOKEN);
	});
});

describe('--dry-run', () => {
	test('prints the request with the secret masked and sends nothing', async () => {
		const capture = await server();
		const result = await runCli([
			'send-sample',
			'ilink-new-document',
			'--url',
			capture.url(ILINK_URL_PATH),
			'--key',
			ACCESS_KEY,
			'--dry-run',
		]);
		expect(result.code).toBe(0);
		expect(capture.requests).toHaveLength(0);
		expectNoSecrets(result.stdout + result.stderr, ACCESS_KEY);
		const printed = JSON.parse(result.stdout);
		expect(printed).toMatchObject({ method: 'POST', url: capture.url(ILINK_URL_PATH) });
		expect(printed.headers).toEqual({
			'Content-Type': 'application/json',
			'User-Agent': expect.stringMatching(/^n8n-nodes-ilink-invoicy-send-sample\/\d+\.\d+\.\d+/),
			Authorization: 'Bearer ********',
		});
		expect(printed.body.id).toBe(printedId(result));
		expect(printed.body.state_document.alias).toBe('sent');
	});

	test.each([
		[['--user', USER, '--password', PASSWORD], 'Basic ********', [USER, PASSWORD, BASIC]],
		[['--basic-token', BASIC], 'Basic ********', [BASIC]],
		[['--token', TOKEN], 'Bearer ********', [TOKEN]],
	])('InvoiCy %j is masked', async (auth, shown, secrets) => {
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			'http://127.0.0.1:9/webhook/x/invoicy-nfse',
			...auth,
			'--dry-run',
		]);
		expect(result.code).toBe(0);
		expectNoSecrets(result.stdout + result.stderr, ...secrets);
		const printed = JSON.parse(result.stdout);
		expect(printed.headers.Authorization).toBe(shown);
		expect(printed.body.documento.DocStatus).toBe(2);
	});

	test('InvoiCy without authentication has no Authorization header', async () => {
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			'http://127.0.0.1:9/webhook/x/invoicy-nfse',
			'--dry-run',
		]);
		expect(result.code).toBe(0);
		expect(Object.keys(JSON.parse(result.stdout).headers)).toEqual(['Content-Type', 'User-Agent']);
	});
});

/**
 * An iLink trigger as the quick start sets it up: send-sample serves the attachments from this
 * machine, which the trigger downloads only with Allow Private Addresses on.
 */
const ILINK_NODE: FakeSetup = {
	parameters: { options: { allowPrivateAddresses: true } },
	credentials: { iLinkAccessKeyApi: { accessKey: ACCESS_KEY } },
};

describe('iLink new document, through the real node', () => {
	test('exact headers, fresh id, attachments served by the CLI and downloaded by the node', async () => {
		let pdfFetchedDuringPost: Buffer | undefined;
		const { capture, results } = await nodeServer(async (captured) => {
			pdfFetchedDuringPost = Buffer.from(
				await (await fetch(captured.body.attachments[0].file)).arrayBuffer(),
			);
			return deliver(new ILinkNewDocumentTrigger(), asDelivery(captured), ILINK_NODE);
		});

		const result = await runCli([
			'send-sample',
			'ilink-new-document',
			'--url',
			capture.url(ILINK_URL_PATH),
			'--key',
			ACCESS_KEY,
		]);
		expect(result.stderr).not.toMatch(/note: n8n's URLs/);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('HTTP 200 {"message":"Workflow was started"}\n');
		expectNoSecrets(result.stdout + result.stderr, ACCESS_KEY);

		// What went over the wire
		expect(capture.requests).toHaveLength(1);
		const [request] = capture.requests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe(ILINK_URL_PATH);
		expect(request.headers.authorization).toBe(`Bearer ${ACCESS_KEY}`);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers['user-agent']).toMatch(
			/^n8n-nodes-ilink-invoicy-send-sample\/.+ \(simulating iLink webhooks\)$/,
		);
		expect(Object.keys(request.headers).sort()).toEqual(
			[...TRANSPORT_HEADERS, 'authorization', 'content-type', 'user-agent'].sort(),
		);
		expect(Number(request.headers['content-length'])).toBe(Buffer.byteLength(request.bodyText));

		// The payload
		const id = printedId(result);
		const number = printedNumber(result);
		const body = request.body;
		expect(body.id).toBe(id);
		expect(body.id).toMatch(/^[0-9a-f]{14}\.\d{8}$/);
		expect(body.number).toBe(number);
		expect(number).toMatch(/^FT \d{4}\/\d+$/);
		expect(body.type_document.alias).toBe('received');
		expect(body.state_document.alias).toBe('sent');
		expect(body.reasons).toEqual([]);
		expect(body.attachments).toHaveLength(2);
		for (const attachment of body.attachments) {
			expect(attachment.file).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ilink-api\/file\/[0-9a-f]{48}$/);
			expect(attachment.identifier).toBe(number);
		}
		expect(pdfFetchedDuringPost!.equals(SAMPLE_PDF)).toBe(true);

		// What the node made of it
		expect(results).toHaveLength(1);
		const delivery = results[0];
		expect(delivery.status).toBe(200);
		expect(delivery.started).toBe(true);
		const item = firstItem(delivery);
		expect(item.json).toMatchObject({
			source: 'ilink',
			event: 'document.received',
			documentId: id,
			documentNumber: number,
			documentType: 'FT',
			status: 'sent',
			issuer: { taxId: '509999990', name: 'Fornecedor Exemplo, Lda.' },
			totalAmount: 123,
			currency: 'EUR',
		});
		const files = item.json.files as IDataObject[];
		expect(files.map((file) => file.error)).toEqual([undefined, undefined]);
		expect(binaryBytes(item, 'pdf').equals(SAMPLE_PDF)).toBe(true);
		expect(binaryBytes(item, 'xml').equals(SAMPLE_UBL)).toBe(true);
		expect(item.binary!.pdf.mimeType).toBe('application/pdf');

		// The file server is gone once the delivery was answered.
		await expect(fetch(body.attachments[0].file)).rejects.toThrow();
	});

	test.each([
		['localhost', '127.0.0.1'],
		['127.0.0.2', '0.0.0.0'],
	])(
		'--files-host %s --files-port: the URLs use that host and port (listening on %s)',
		async (host, bindHost) => {
			const port = await closedPort();
			const { capture, results } = await nodeServer((captured) =>
				deliver(new ILinkNewDocumentTrigger(), asDelivery(captured), ILINK_NODE),
			);
			const result = await runCli([
				'send-sample',
				'ilink-new-document',
				'--url',
				capture.url(ILINK_URL_PATH),
				'--key',
				ACCESS_KEY,
				'--files-host',
				host,
				'--files-port',
				String(port),
			]);
			expect(result.code).toBe(0);
			expect(result.stderr).toContain(
				`serving the sample PDF and XML at http://${host}:${port} (on ${bindHost})`,
			);
			for (const attachment of capture.requests[0].body.attachments) {
				expect(attachment.file.startsWith(`http://${host}:${port}/ilink-api/file/`)).toBe(true);
			}
			expect(binaryBytes(firstItem(results[0]), 'pdf').equals(SAMPLE_PDF)).toBe(true);
		},
	);

	test('two runs send two different documents', async () => {
		const capture = await server();
		const args = [
			'send-sample',
			'ilink-new-document',
			'--url',
			capture.url(ILINK_URL_PATH),
			'--key',
			ACCESS_KEY,
			'--no-files',
		];
		const [first, second] = [await runCli(args), await runCli(args)];
		expect(printedId(first)).not.toBe(printedId(second));
		expect(capture.requests.map((r) => r.body.id)).toEqual([printedId(first), printedId(second)]);
	});

	test('--no-files keeps the placeholder URLs; --id repeats a delivery the node then ignores', async () => {
		const staticData: IDataObject = {};
		const setup: FakeSetup = {
			credentials: { iLinkAccessKeyApi: { accessKey: ACCESS_KEY } },
			staticData,
		};
		const { capture, results } = await nodeServer((captured) =>
			deliver(new ILinkNewDocumentTrigger(), asDelivery(captured), setup),
		);
		const args = [
			'send-sample',
			'ilink-new-document',
			'--url',
			capture.url(ILINK_URL_PATH),
			'--key',
			ACCESS_KEY,
			'--no-files',
			'--id',
			'demo-duplicate-1',
		];
		const first = await runCli(args);
		const second = await runCli(args);
		expect([first.code, second.code]).toEqual([0, 0]);
		expect(printedId(first)).toBe('demo-duplicate-1');
		expect(capture.requests[0].body.attachments[0].file).toMatch(
			/^https:\/\/ilink\.acin\.pt\/ilinktests-api\/file\//,
		);
		expect(capture.requests[1].body.number).toBe(capture.requests[0].body.number);
		expect(results.map((r) => r.started)).toEqual([true, false]);
		expect(second.stdout).toMatch(/^HTTP 200 .*Duplicate delivery/);
	});
});

describe('iLink status change, through the real node', () => {
	test.each(['tosend', 'sent', 'accepted', 'rejected'])('--status %s', async (status) => {
		const started = Date.now();
		const { capture, results } = await nodeServer((captured) =>
			deliver(new ILinkStatusChangeTrigger(), asDelivery(captured), ILINK_NODE),
		);
		const result = await runCli([
			'send-sample',
			'ilink-status-change',
			'--status',
			status,
			'--url',
			capture.url(STATUS_URL_PATH),
			'--key',
			ACCESS_KEY,
		]);
		expect(result.code).toBe(0);
		const body = capture.requests[0].body;
		expect(body.type_document.alias).toBe('issued');
		expect(body.state_document.alias).toBe(status);
		if (status === 'tosend') {
			expect(body.to_send_status).toEqual({ code: 'no_connection', title: expect.any(String) });
			expect(body.state_edi_document).toBeUndefined();
		}
		if (status === 'rejected') {
			expect(body.reasons).toHaveLength(1);
			expect(body.reasons[0].reason).toMatch(/\S/);
			expect(body.reasons[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			// "now", in Lisbon time (UTC or UTC+1)
			const stamp = Date.parse(`${body.reasons[0].created_at.replace(' ', 'T')}Z`);
			expect(Math.abs(stamp - started)).toBeLessThan(2 * 60 * 60 * 1000);
		} else {
			expect(body.reasons).toEqual([]);
		}

		const delivery = results[0];
		expect(delivery.status).toBe(200);
		expect(delivery.started).toBe(true);
		const item = firstItem(delivery);
		expect(item.json).toMatchObject({
			event: 'document.status_changed',
			documentId: printedId(result),
			status,
		});
		if (status === 'rejected') {
			expect(item.json.reasons).toEqual([
				{ reason: body.reasons[0].reason, createdAt: body.reasons[0].created_at },
			]);
		}
		expect(binaryBytes(item, 'pdf').equals(SAMPLE_PDF)).toBe(true);
	});

	test('the default status is accepted, and a node filtering on rejected only starts nothing', async () => {
		const { capture, results } = await nodeServer((captured) =>
			deliver(new ILinkStatusChangeTrigger(), asDelivery(captured), {
				...ILINK_NODE,
				parameters: { ...ILINK_NODE.parameters, states: ['rejected'] },
			}),
		);
		const result = await runCli([
			'send-sample',
			'ilink-status-change',
			'--url',
			capture.url(STATUS_URL_PATH),
			'--key',
			ACCESS_KEY,
		]);
		expect(result.code).toBe(0);
		expect(capture.requests[0].body.state_document.alias).toBe('accepted');
		expect(results[0]).toMatchObject({ status: 200, started: false });
		expect(result.stderr).toMatch(/did not download the attachments/);
	});
});

describe('InvoiCy NFS-e, through the real node', () => {
	const AUTH_MODES: Array<{
		name: string;
		args: string[];
		header: string | undefined;
		parameters: IDataObject;
		credentials: Record<string, IDataObject>;
	}> = [
		{
			name: 'none',
			args: [],
			header: undefined,
			parameters: { authentication: 'none' },
			credentials: {},
		},
		{
			name: 'basic (user/password)',
			args: ['--user', USER, '--password', PASSWORD],
			header: `Basic ${BASIC}`,
			parameters: { authentication: 'basicAuth' },
			credentials: { invoiCyBasicAuthApi: { user: USER, password: PASSWORD } },
		},
		{
			name: 'basic (token as stored)',
			args: ['--basic-token', BASIC],
			header: `Basic ${BASIC}`,
			parameters: { authentication: 'basicAuth' },
			credentials: { invoiCyBasicAuthApi: { user: USER, password: PASSWORD } },
		},
		{
			name: 'bearer',
			args: ['--token', TOKEN],
			header: `Bearer ${TOKEN}`,
			parameters: { authentication: 'bearerToken' },
			credentials: { invoiCyBearerTokenApi: { token: TOKEN } },
		},
	];

	test.each(AUTH_MODES)('auth $name: exact headers, accepted by the node', async (mode) => {
		const { capture, results } = await nodeServer((captured) =>
			deliver(new InvoiCyNfseTrigger(), asDelivery(captured), {
				parameters: mode.parameters as FakeSetup['parameters'],
				credentials: mode.credentials,
			}),
		);
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			capture.url(INVOICY_URL_PATH),
			...mode.args,
		]);
		expect(result.code).toBe(0);
		expectNoSecrets(result.stdout + result.stderr, TOKEN, PASSWORD, BASIC);
		const [request] = capture.requests;
		expect(request.headers.authorization).toBe(mode.header);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers['user-agent']).toMatch(/\(simulating InvoiCy webhooks\)$/);
		const expectedHeaders = [
			...TRANSPORT_HEADERS,
			'content-type',
			'user-agent',
			...(mode.header ? ['authorization'] : []),
		];
		expect(Object.keys(request.headers).sort()).toEqual(expectedHeaders.sort());
		expect(results[0]).toMatchObject({ status: 200, started: true });
	});

	const STATUSES = [
		{ status: 'authorized', DocStatus: 2, DocSitCodigo: 100, files: true, notification: 2 },
		{ status: 'rejected', DocStatus: 3, DocSitCodigo: 999, files: false, notification: 2 },
		{ status: 'cancelled', DocStatus: 5, DocSitCodigo: 101, files: true, notification: 3 },
		{ status: 'pending', DocStatus: 1, DocSitCodigo: 113, files: false, notification: 2 },
	];

	test.each(STATUSES)('--status $status', async (expected) => {
		const { capture, results } = await nodeServer((captured) =>
			deliver(new InvoiCyNfseTrigger(), asDelivery(captured), {
				parameters: { authentication: 'bearerToken' },
				credentials: { invoiCyBearerTokenApi: { token: TOKEN } },
			}),
		);
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--status',
			expected.status,
			'--url',
			capture.url(INVOICY_URL_PATH),
			'--token',
			TOKEN,
		]);
		expect(result.code).toBe(0);
		const doc = capture.requests[0].body.documento;
		const id = printedId(result);
		expect(doc).toMatchObject({
			DocModelo: 'NFSe',
			DocIDUnico: id,
			DocStatus: expected.DocStatus,
			DocSitCodigo: expected.DocSitCodigo,
			TipoNotificacaoWebHook: expected.notification,
			DocSitDescricao: expect.stringMatching(/\S/),
		});
		expect(String(doc.DocNumero)).toBe(printedNumber(result));
		expect(doc.Resumo.DocDataEmissao).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
		if (expected.files) {
			expect(Buffer.from(doc.DocPDF, 'base64').equals(SAMPLE_PDF)).toBe(true);
			expect(Buffer.from(doc.DocXML, 'base64').equals(SAMPLE_NFSE_XML)).toBe(true);
			expect(doc.DocPDFLink).toMatch(/^https:\/\//);
			expect(doc.DocXMLLink).toMatch(/^https:\/\//);
			expect(doc.NFSe.NFSeNumero).toBeGreaterThan(0);
			expect(doc.NFSe.NFSeCodVerificacao).toMatch(/^[A-Z0-9]{8}$/);
			expect(doc.Resumo.DocDhAut).toMatch(/-03:00$/);
		} else {
			expect([doc.DocPDF, doc.DocXML, doc.DocPDFLink, doc.DocXMLLink]).toEqual(['', '', '', '']);
			expect(doc.NFSe).toEqual({ NFSeNumero: 0, NFSeCodVerificacao: '' });
		}
		if (expected.status === 'cancelled') {
			expect(doc.Eventos).toHaveLength(1);
			expect(doc.Eventos[0]).toMatchObject({
				DocEveTp: 110111,
				DocEveDhReg: expect.stringMatching(/-03:00$/),
			});
		} else {
			expect(doc.Eventos).toEqual([]);
		}

		const delivery = results[0];
		expect(delivery).toMatchObject({ status: 200, started: true });
		const item = firstItem(delivery);
		expect(item.json).toMatchObject({
			source: 'invoicy',
			event: 'nfse.status_changed',
			documentId: id,
			documentNumber: printedNumber(result),
			status: expected.status,
			statusCode: expected.DocSitCodigo,
			issuer: { taxId: '11222333000181' },
			totalAmount: 1500,
			currency: 'BRL',
		});
		if (expected.files) {
			expect(binaryBytes(item, 'pdf').equals(SAMPLE_PDF)).toBe(true);
			expect(binaryBytes(item, 'xml').equals(SAMPLE_NFSE_XML)).toBe(true);
			expect(item.json.nfseNumber).toBe(String(doc.NFSe.NFSeNumero));
		} else {
			expect(item.binary).toBeUndefined();
		}
	});

	test('--id repeats a delivery the node then ignores', async () => {
		const setup: FakeSetup = {
			parameters: { authentication: 'none' },
			staticData: {},
		};
		const { capture, results } = await nodeServer((captured) =>
			deliver(new InvoiCyNfseTrigger(), asDelivery(captured), setup),
		);
		const args = [
			'send-sample',
			'invoicy-nfse',
			'--url',
			capture.url(INVOICY_URL_PATH),
			'--id',
			'RPS-DEMO-7',
		];
		await runCli(args);
		await runCli(args);
		expect(capture.requests.map((r) => r.body.documento.DocNumero)).toEqual([
			capture.requests[0].body.documento.DocNumero,
			capture.requests[0].body.documento.DocNumero,
		]);
		expect(results.map((r) => r.started)).toEqual([true, false]);
	});
});

describe('answers and errors', () => {
	test('HTTP 401 from the node: exit 1, status and body on one line, a hint, no secret', async () => {
		const { capture } = await nodeServer((captured) =>
			deliver(new ILinkNewDocumentTrigger(), asDelivery(captured), {
				credentials: { iLinkAccessKeyApi: { accessKey: 'another-key' } },
			}),
		);
		const result = await runCli([
			'send-sample',
			'ilink-new-document',
			'--url',
			capture.url(ILINK_URL_PATH),
			'--key',
			ACCESS_KEY,
		]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^HTTP 401 \S.*\n$/);
		expect(result.stdout.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/hint: the node refused the credentials/);
		expectNoSecrets(result.stdout + result.stderr, ACCESS_KEY);
	});

	test('HTTP 404 (n8n not listening): exit 1 with a hint', async () => {
		const capture = await server(() => ({
			status: 404,
			body: { code: 404, message: 'The requested webhook "POST x" is not registered.' },
		}));
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			capture.url(INVOICY_URL_PATH),
		]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^HTTP 404 .*not registered/);
		expect(result.stderr).toMatch(/Execute step/);
	});

	test('any status other than 200 is a failure (even 204)', async () => {
		const capture = await server(() => ({ status: 204 }));
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			capture.url(INVOICY_URL_PATH),
		]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('HTTP 204\n');
	});

	test('connection refused: exit 3 with a clear message', async () => {
		const port = await closedPort();
		const result = await runCli([
			'send-sample',
			'ilink-new-document',
			'--url',
			`http://127.0.0.1:${port}/webhook/x/ilink-new-document`,
			'--key',
			ACCESS_KEY,
		]);
		expect(result.code).toBe(3);
		expect(result.stderr).toMatch(
			new RegExp(`could not reach http://127\\.0\\.0\\.1:${port}: connection refused`),
		);
		expect(result.stdout).toBe('');
		expectNoSecrets(result.stderr, ACCESS_KEY);
	});

	test("a URL that does not end in the node's path gets a note, and is still sent", async () => {
		const capture = await server();
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			capture.url('/webhook-test/x/ilink-new-document'),
		]);
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/end in \/invoicy-nfse/);
	});

	test('a response that echoes the secret is printed masked', async () => {
		const capture = await server((captured) => ({
			status: 401,
			body: { got: captured.headers.authorization },
		}));
		const result = await runCli([
			'send-sample',
			'invoicy-nfse',
			'--url',
			capture.url(INVOICY_URL_PATH),
			'--token',
			TOKEN,
		]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('HTTP 401 {"got":"Bearer ********"}\n');
	});
});
