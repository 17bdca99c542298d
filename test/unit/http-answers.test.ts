/** The contract's HTTP answers table, row by row, for every node it applies to. */
import type { IDataObject } from 'n8n-workflow';

import { sample } from '../helpers/fixtures';
import {
	expectInvalid,
	expectNotStarted,
	expectOneDocument,
	INVALID_ITEM_FIELDS,
	NODE_KINDS,
	RIGHT_CREDENTIALS,
	rawWithFileMarkers,
	readsJsonLists,
	send,
	type NodeKind,
} from '../helpers/unit';

const SAMPLE_FOR: Record<NodeKind, () => Record<string, any>> = {
	iLinkNewDocument: () => sample('ilink-new-document'),
	iLinkStatusChange: () => sample('ilink-status-change-rejected'),
	invoiCyNfse: () => sample('invoicy-nfse-authorized'),
};

/** A JSON object each node's schema refuses. */
/** Deliveries without what identifies a document: the only reason for the Invalid output. */
const SCHEMA_FAILURE: Record<NodeKind, () => Record<string, any>> = {
	iLinkNewDocument: () => ({
		...sample('ilink-new-document'),
		id: { not: 'a string' },
		number: null,
	}),
	iLinkStatusChange: () => {
		const body = sample('ilink-status-change-rejected');
		delete body.id;
		delete body.number;
		return body;
	},
	invoiCyNfse: () => ({ documento: { DocModelo: 'NFSe', DocSerie: '1' } }),
};

const EXPECTED_EVENT: Record<NodeKind, string> = {
	iLinkNewDocument: 'document.received',
	iLinkStatusChange: 'document.status_changed',
	invoiCyNfse: 'nfse.status_changed',
};

const CREDENTIAL_TYPE: Record<NodeKind, string> = {
	iLinkNewDocument: 'iLinkAccessKeyApi',
	iLinkStatusChange: 'iLinkAccessKeyApi',
	invoiCyNfse: 'invoiCyBearerTokenApi',
};

const withoutType = (type: string): Record<string, IDataObject> => {
	const { [type]: _removed, ...rest } = RIGHT_CREDENTIALS;
	return rest;
};

describe.each(NODE_KINDS)('HTTP answers of %s', (kind) => {
	test('accepted: exactly 200 and the workflow starts', async () => {
		const result = await send(kind, SAMPLE_FOR[kind]());
		expectOneDocument(result);
		expect(result.status).toBe(200);
	});

	test('duplicate: 200 and not started', async () => {
		const staticData = {};
		const workflowId = `dup-${kind}`;
		expectOneDocument(await send(kind, SAMPLE_FOR[kind](), { staticData, workflowId }));
		const again = await send(kind, SAMPLE_FOR[kind](), { staticData, workflowId });
		expectNotStarted(again, 200);
	});

	describe('missing, wrong or malformed credentials: 401 with WWW-Authenticate, one body for all', () => {
		const BAD_HEADERS: Array<[string, string | null]> = [
			['missing', null],
			['wrong secret', 'Bearer not-the-right-secret'],
			['wrong scheme', 'Token something'],
			['scheme only', 'Bearer'],
			['scheme and space only', 'Bearer '],
			['empty', ''],
			['garbage', '%%%%'],
		];

		test.each(BAD_HEADERS)('%s', async (_label, authorization) => {
			const result = await send(kind, SAMPLE_FOR[kind](), { authorization });
			expectNotStarted(result, 401);
			expect(result.headers['www-authenticate']).toMatch(/^Bearer realm="(iLink|InvoiCy)"$/);
		});

		test('the body is identical for every kind of failure', async () => {
			const bodies = new Set<string>();
			for (const [, authorization] of BAD_HEADERS) {
				const result = await send(kind, SAMPLE_FOR[kind](), { authorization });
				bodies.add(JSON.stringify(result.body));
				expect(result.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
			}
			expect(bodies.size).toBe(1);
			const text = [...bodies][0].toLowerCase();
			for (const word of ['wrong', 'scheme', 'token', 'secret', 'password', 'expected']) {
				expect(text).not.toContain(word);
			}
		});
	});

	test('no credential configured: 500, generic body, error log that names what to fix', async () => {
		const result = await send(kind, SAMPLE_FOR[kind](), {
			credentials: withoutType(CREDENTIAL_TYPE[kind]),
		});
		expectNotStarted(result, 500);
		expect(result.body).toEqual({ error: 'webhook_not_configured', message: expect.any(String) });
		expect(JSON.stringify(result.body)).not.toMatch(/credential/i);
		const errors = result.logs.filter((line) => line.level === 'error');
		expect(errors).toHaveLength(1);
		const label =
			kind === 'invoiCyNfse' ? 'InvoiCy Bearer Token credential' : 'iLink Access Key credential';
		expect(errors[0].message).toContain(label);
		expect(errors[0].message).toContain('500');
	});

	test('credential with an empty secret: 500 with the same generic body, log names the field', async () => {
		const type = CREDENTIAL_TYPE[kind];
		const field = kind === 'invoiCyNfse' ? 'token' : 'accessKey';
		const missing = await send(kind, SAMPLE_FOR[kind](), { credentials: withoutType(type) });
		const result = await send(kind, SAMPLE_FOR[kind](), {
			credentials: { ...RIGHT_CREDENTIALS, [type]: { [field]: '   ' } },
			authorization: 'Bearer    ',
		});
		expectNotStarted(result, 500);
		expect(result.body).toEqual(missing.body);
		const errors = result.logs.filter((line) => line.level === 'error');
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toContain(`has no ${field}`);
	});

	test('IP not allowed: 403 and not started', async () => {
		const result = await send(kind, SAMPLE_FOR[kind](), {
			options: { allowedIps: '10.0.0.0/8' },
			ip: '192.168.1.20',
		});
		expectNotStarted(result, 403);
		expect(result.body).toEqual({ error: 'forbidden', message: expect.any(String) });
		expectOneDocument(
			await send(kind, SAMPLE_FOR[kind](), {
				options: { allowedIps: '10.0.0.0/8' },
				ip: '10.20.30.40',
			}),
		);
	});

	test('an allow-list entry that is not an address: 500, log names the entry', async () => {
		const result = await send(kind, SAMPLE_FOR[kind](), {
			options: { allowedIps: '10.0.0.0/8, 193.43.40.999' },
		});
		expectNotStarted(result, 500);
		const errors = result.logs.filter((line) => line.level === 'error');
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toContain('193.43.40.999');
	});

	describe('body not a JSON object: 400 { error, message }', () => {
		const NOT_OBJECTS: Array<[string, { body?: unknown; contentType?: string | null }]> = [
			['array', { body: '[{"id":"x"}]' }],
			['string', { body: '"hello"' }],
			['number', { body: '42' }],
			['null', { body: 'null' }],
			['boolean', { body: 'true' }],
			[
				'XML',
				{ body: '<documento><DocNumero>1</DocNumero></documento>', contentType: 'application/xml' },
			],
			['text/xml', { body: '<a/>', contentType: 'text/xml; charset=utf-8' }],
			['SOAP', { body: '<a/>', contentType: 'application/soap+xml' }],
			['form', { body: 'id=1&number=2', contentType: 'application/x-www-form-urlencoded' }],
			[
				'form carrying JSON-looking text',
				{ body: '{"id":"x"}', contentType: 'application/x-www-form-urlencoded' },
			],
			[
				'multipart',
				{ body: '--b\r\n\r\n{}\r\n--b--', contentType: 'multipart/form-data; boundary=b' },
			],
			['empty, no content type', { body: undefined, contentType: null }],
			['empty, text/plain', { body: undefined, contentType: 'text/plain' }],
			['empty, application/json', { body: undefined, contentType: 'application/json' }],
			['invalid JSON as text/plain', { body: '{"id": "x",', contentType: 'text/plain' }],
			['invalid JSON without a content type', { body: '{id: x}', contentType: null }],
			['JSON array as text/plain', { body: '[1,2]', contentType: 'text/plain' }],
		];

		// A sender that posts lists of documents has its JSON lists read, not refused.
		const notBodies = NOT_OBJECTS.filter(
			([, request]) => !(readsJsonLists(kind) && /^\s*\[/.test(String(request.body ?? ''))),
		);
		test.each(notBodies)('%s', async (_label, request) => {
			const result = await send(kind, request.body, { contentType: request.contentType });
			expectNotStarted(result, 400);
			expect(result.body).toEqual({ error: expect.any(String), message: expect.any(String) });
			expect(Object.keys(result.body as object).sort()).toEqual(['error', 'message']);
		});
	});

	test('a JSON object sent as text/plain, without a content type or with a BOM is understood', async () => {
		const text = JSON.stringify(SAMPLE_FOR[kind]());
		for (const [body, contentType] of [
			[text, 'text/plain'],
			[text, null],
			[`\uFEFF${text}`, 'text/plain; charset=utf-8'],
			[text, 'application/json; charset=utf-8'],
			[text, 'application/vnd.api+json'],
		] as Array<[string, string | null]>) {
			const item = expectOneDocument(await send(kind, body, { contentType }));
			expect(item.json.raw).toEqual(rawWithFileMarkers(SAMPLE_FOR[kind]()));
		}
	});

	test('schema failure, default: 200, started, item on the Invalid output with errors and raw', async () => {
		const body = SCHEMA_FAILURE[kind]();
		const item = expectInvalid(await send(kind, body));
		expect(Object.keys(item.json).sort()).toEqual([...INVALID_ITEM_FIELDS].sort());
		expect(item.json.source).toBe(kind === 'invoiCyNfse' ? 'invoicy' : 'ilink');
		expect(item.json.event).toBe(EXPECTED_EVENT[kind]);
		expect(item.json.raw).toEqual(SCHEMA_FAILURE[kind]());
		const errors = item.json.errors as Array<Record<string, unknown>>;
		expect(errors.length).toBeGreaterThan(0);
		for (const error of errors) {
			expect(Object.keys(error).sort()).toEqual(['message', 'path']);
			expect(typeof error.path).toBe('string');
			expect(typeof error.message).toBe('string');
			expect((error.message as string).length).toBeGreaterThan(0);
		}
	});

	test('schema failure with invalidPayload "reject": 422 { error, issues: [{ path, message }] }, not started', async () => {
		const result = await send(kind, SCHEMA_FAILURE[kind](), {
			options: { invalidPayload: 'reject' },
		});
		expectNotStarted(result, 422);
		const body = result.body as { error: unknown; issues: Array<Record<string, unknown>> };
		expect(Object.keys(body).sort()).toEqual(['error', 'issues']);
		expect(typeof body.error).toBe('string');
		expect(body.issues.length).toBeGreaterThan(0);
		for (const issue of body.issues) {
			expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
			expect(typeof issue.path).toBe('string');
			expect(typeof issue.message).toBe('string');
		}
		// The same issues the Invalid output would carry.
		const invalid = expectInvalid(await send(kind, SCHEMA_FAILURE[kind]()));
		expect(body.issues).toEqual(invalid.json.errors);
	});

	test('"reject" does not affect valid deliveries', async () => {
		expectOneDocument(
			await send(kind, SAMPLE_FOR[kind](), { options: { invalidPayload: 'reject' } }),
		);
	});

	test('body over maxBodySize: 413, not started; at the limit: accepted', async () => {
		const limit = 1024 * 1024;
		const padded = (size: number) => {
			const body = { ...SAMPLE_FOR[kind](), padding: '' };
			const base = Buffer.byteLength(JSON.stringify(body));
			body.padding = 'x'.repeat(size - base);
			const text = JSON.stringify(body);
			expect(Buffer.byteLength(text)).toBe(size);
			return text;
		};
		const over = await send(kind, padded(limit + 1), { options: { maxBodySize: 1 } });
		expectNotStarted(over, 413);
		expect(over.body).toEqual({ error: 'payload_too_large', message: expect.any(String) });
		expectOneDocument(await send(kind, padded(limit), { options: { maxBodySize: 1 } }));
	});

	test('the default size limit is 10 MiB', async () => {
		const body = { ...SAMPLE_FOR[kind](), padding: 'x'.repeat(10 * 1024 * 1024) };
		expectNotStarted(await send(kind, body), 413);
	});

	test('order of checks: IP before credential, credential before size and body', async () => {
		const forbidden = await send(kind, '[]', {
			authorization: null,
			options: { allowedIps: '10.0.0.1' },
			ip: '10.0.0.2',
		});
		expect(forbidden.status).toBe(403);
		const unauthorized = await send(kind, '[]', {
			authorization: 'Bearer nope',
			options: { maxBodySize: 1 },
		});
		expect(unauthorized.status).toBe(401);
	});
});

describe('filtered out by the node filter: 200 and not started', () => {
	test('iLink status node with states excluding the delivered state', async () => {
		expectNotStarted(
			await send('iLinkStatusChange', sample('ilink-status-change-rejected'), {
				parameters: { states: ['accepted'] },
			}),
			200,
		);
	});

	test('InvoiCy with statuses excluding the delivered status', async () => {
		expectNotStarted(
			await send('invoiCyNfse', sample('invoicy-nfse-rejected'), {
				parameters: { statuses: ['authorized', 'cancelled'] },
			}),
			200,
		);
	});

	test('a filtered delivery is not remembered as a duplicate', async () => {
		const staticData = {};
		const workflowId = 'filter-then-accept';
		expectNotStarted(
			await send('invoiCyNfse', sample('invoicy-nfse-rejected'), {
				parameters: { statuses: ['authorized'] },
				staticData,
				workflowId,
			}),
			200,
		);
		expectOneDocument(
			await send('invoiCyNfse', sample('invoicy-nfse-rejected'), { staticData, workflowId }),
		);
	});
});

describe('InvoiCy without authentication', () => {
	test('accepts any request and never answers 401', async () => {
		for (const authorization of [null, 'Bearer whatever', 'Basic Zm9vOmJhcg==']) {
			const result = await send('invoiCyNfse', sample('invoicy-nfse-authorized'), {
				parameters: { authentication: 'none' },
				credentials: {},
				authorization,
			});
			expectOneDocument(result);
		}
	});

	test('an unknown authentication value fails closed with 500', async () => {
		const result = await send('invoiCyNfse', sample('invoicy-nfse-authorized'), {
			parameters: { authentication: 'headerAuth' },
			authorization: null,
		});
		expectNotStarted(result, 500);
		expect(result.logs.filter((line) => line.level === 'error')[0].message).toContain('headerAuth');
	});

	test('default parameters mean Bearer: without a bearer credential the node fails closed', async () => {
		const { deliver } = await import('../helpers/webhookContext');
		const { NODES } = await import('../helpers/unit');
		const result = await deliver(
			NODES.invoiCyNfse,
			{ body: sample('invoicy-nfse-authorized') },
			{ parameters: {}, credentials: {}, workflowId: 'defaults-invoicy' },
		);
		expectNotStarted(result, 500);
	});
});
