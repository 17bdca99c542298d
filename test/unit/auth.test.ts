/** Authorization modes: iLink Bearer, InvoiCy none / Basic / Bearer; the header forms senders send. */
import { isAuthorized, secretsEqual, challenge } from '../../nodes/shared/auth';
import { sample } from '../helpers/fixtures';
import {
	basicHeader,
	expectNotStarted,
	expectOneDocument,
	SECRETS,
	send,
	type NodeKind,
} from '../helpers/unit';

const body = (kind: NodeKind) =>
	kind === 'invoiCyNfse'
		? sample('invoicy-nfse-authorized')
		: kind === 'iLinkNewDocument'
			? sample('ilink-new-document')
			: sample('ilink-status-change-accepted');

/** Header forms of a Bearer secret that must be accepted. */
const acceptedBearerForms = (secret: string) => [
	`Bearer ${secret}`,
	`bearer ${secret}`,
	`BEARER ${secret}`,
	`BeArEr ${secret}`,
	`  Bearer ${secret}  `,
	`Bearer    ${secret}`,
	`\tBearer\t${secret}\t`,
];

/** Header forms of a Bearer setup that must be refused. */
const refusedBearerForms = (secret: string) => [
	`Bearer ${secret}x`,
	`Bearer x${secret}`,
	`Bearer ${secret.slice(0, -1)}`,
	`Bearer ${secret.toUpperCase()}`,
	`Bearer ${secret} ${secret}`,
	`Bearer${secret}`,
	`${secret}`,
	`Basic ${secret}`,
	`Token ${secret}`,
	`Bearer`,
	`Bearer `,
	`Bearer "${secret}"`,
	`Bearer: ${secret}`,
	'',
	'   ',
];

describe.each(['iLinkNewDocument', 'iLinkStatusChange'] as NodeKind[])(
	'%s: Bearer access key',
	(kind) => {
		test.each(acceptedBearerForms(SECRETS.iLinkKey))('accepts %j', async (authorization) => {
			expectOneDocument(await send(kind, body(kind), { authorization }));
		});

		test.each(refusedBearerForms(SECRETS.iLinkKey))(
			'refuses %j with 401',
			async (authorization) => {
				const result = await send(kind, body(kind), { authorization });
				expectNotStarted(result, 401);
				expect(result.headers['www-authenticate']).toBe('Bearer realm="iLink"');
			},
		);

		test('refuses a missing header', async () => {
			expectNotStarted(await send(kind, body(kind), { authorization: null }), 401);
		});

		test('refuses an array header, even when it holds the right value', async () => {
			const right = `Bearer ${SECRETS.iLinkKey}`;
			expectNotStarted(await send(kind, body(kind), { authorization: [right] }), 401);
			expectNotStarted(await send(kind, body(kind), { authorization: [right, right] }), 401);
		});

		test('refuses the InvoiCy token', async () => {
			expectNotStarted(
				await send(kind, body(kind), { authorization: `Bearer ${SECRETS.invoiCyToken}` }),
				401,
			);
		});

		test('a credential stored with surrounding spaces still matches the trimmed header', async () => {
			const result = await send(kind, body(kind), {
				credentials: { iLinkAccessKeyApi: { accessKey: `  ${SECRETS.iLinkKey}  ` } },
				authorization: `Bearer ${SECRETS.iLinkKey}`,
			});
			expectOneDocument(result);
		});
	},
);

describe('InvoiCy: Bearer token', () => {
	const bearer = { parameters: { authentication: 'bearerToken' } };

	test.each(acceptedBearerForms(SECRETS.invoiCyToken))('accepts %j', async (authorization) => {
		expectOneDocument(await send('invoiCyNfse', body('invoiCyNfse'), { ...bearer, authorization }));
	});

	test.each(refusedBearerForms(SECRETS.invoiCyToken))(
		'refuses %j with 401',
		async (authorization) => {
			const result = await send('invoiCyNfse', body('invoiCyNfse'), { ...bearer, authorization });
			expectNotStarted(result, 401);
			expect(result.headers['www-authenticate']).toBe('Bearer realm="InvoiCy"');
		},
	);

	test('refuses missing and array headers', async () => {
		expectNotStarted(
			await send('invoiCyNfse', body('invoiCyNfse'), { ...bearer, authorization: null }),
			401,
		);
		expectNotStarted(
			await send('invoiCyNfse', body('invoiCyNfse'), {
				...bearer,
				authorization: [`Bearer ${SECRETS.invoiCyToken}`],
			}),
			401,
		);
	});

	test('refuses the Basic header of the Basic credential', async () => {
		const authorization = basicHeader(SECRETS.basicUser, SECRETS.basicPassword);
		expectNotStarted(
			await send('invoiCyNfse', body('invoiCyNfse'), { ...bearer, authorization }),
			401,
		);
	});
});

describe('InvoiCy: Basic auth', () => {
	const basic = { parameters: { authentication: 'basicAuth' } };
	const encoded = Buffer.from(`${SECRETS.basicUser}:${SECRETS.basicPassword}`).toString('base64');

	test.each([`Basic ${encoded}`, `basic ${encoded}`, `BASIC ${encoded}`, `  Basic   ${encoded}  `])(
		'accepts %j',
		async (authorization) => {
			expectOneDocument(
				await send('invoiCyNfse', body('invoiCyNfse'), { ...basic, authorization }),
			);
		},
	);

	test.each([
		['wrong password', basicHeader(SECRETS.basicUser, 'nope')],
		['wrong user', basicHeader('someone', SECRETS.basicPassword)],
		['user only', basicHeader(SECRETS.basicUser, '')],
		['swapped', basicHeader(SECRETS.basicPassword, SECRETS.basicUser)],
		['not base64 encoded', `Basic ${SECRETS.basicUser}:${SECRETS.basicPassword}`],
		['base64url alphabet / garbage', `Basic ${encoded.replace(/[A-Za-z]/g, '-')}`],
		['a Bearer token', `Bearer ${SECRETS.invoiCyToken}`],
		['Bearer with the Basic value', `Bearer ${encoded}`],
		['scheme only', 'Basic'],
		['scheme and space', 'Basic '],
	])('refuses %s with 401 and a Basic challenge', async (_label, authorization) => {
		const result = await send('invoiCyNfse', body('invoiCyNfse'), { ...basic, authorization });
		expectNotStarted(result, 401);
		expect(result.headers['www-authenticate']).toBe('Basic realm="InvoiCy", charset="UTF-8"');
	});

	test('refuses missing and array headers', async () => {
		expectNotStarted(
			await send('invoiCyNfse', body('invoiCyNfse'), { ...basic, authorization: null }),
			401,
		);
		expectNotStarted(
			await send('invoiCyNfse', body('invoiCyNfse'), {
				...basic,
				authorization: [`Basic ${encoded}`],
			}),
			401,
		);
	});

	test('a password containing ":" and non-ASCII characters works (UTF-8)', async () => {
		const credentials = { invoiCyBasicAuthApi: { user: 'joão', password: 'se:nh@-ç' } };
		expectOneDocument(
			await send('invoiCyNfse', body('invoiCyNfse'), {
				...basic,
				credentials,
				authorization: basicHeader('joão', 'se:nh@-ç'),
			}),
		);
		expectNotStarted(
			await send('invoiCyNfse', body('invoiCyNfse'), {
				...basic,
				credentials,
				authorization: basicHeader('joão', 'se:nh@'),
			}),
			401,
		);
	});

	test('without the Basic credential (only a Bearer one) the node fails closed with 500', async () => {
		const result = await send('invoiCyNfse', body('invoiCyNfse'), {
			...basic,
			credentials: { invoiCyBearerTokenApi: { token: SECRETS.invoiCyToken } },
			authorization: `Bearer ${SECRETS.invoiCyToken}`,
		});
		expectNotStarted(result, 500);
		expect(result.logs.find((line) => line.level === 'error')?.message).toContain(
			'InvoiCy Basic Auth credential',
		);
	});

	test('a Basic credential with an empty password fails closed with 500', async () => {
		const result = await send('invoiCyNfse', body('invoiCyNfse'), {
			...basic,
			credentials: { invoiCyBasicAuthApi: { user: SECRETS.basicUser, password: '' } },
			authorization: basicHeader(SECRETS.basicUser, ''),
		});
		expectNotStarted(result, 500);
		expect(result.logs.find((line) => line.level === 'error')?.message).toContain(
			'has no password',
		);
	});
});

describe('isAuthorized / secretsEqual / challenge', () => {
	test('non-string headers are refused', () => {
		const expected = { scheme: 'Bearer' as const, token: 'abc' };
		for (const header of [
			undefined,
			null,
			42,
			['Bearer abc'],
			{ toString: () => 'Bearer abc' },
			Buffer.from('Bearer abc'),
		]) {
			expect(isAuthorized(header, expected)).toBe(false);
		}
		expect(isAuthorized('Bearer abc', expected)).toBe(true);
	});

	test('secretsEqual compares bytes, whatever the lengths', () => {
		const bytes = (text: string) => Buffer.from(text, 'utf8');
		expect(secretsEqual(bytes('abc'), bytes('abc'))).toBe(true);
		expect(secretsEqual(bytes('abc'), bytes('abcd'))).toBe(false);
		expect(secretsEqual(bytes(''), bytes('a'))).toBe(false);
		expect(secretsEqual(Buffer.from([0xc3, 0xa7]), bytes('ç'))).toBe(true);
	});

	test('a non-ASCII Bearer token matches when the sender sends it as UTF-8 on the wire', () => {
		const expected = { scheme: 'Bearer' as const, token: 'chave-ação' };
		// Node gives header values as latin1 text: one character per byte received.
		const asReceived = `Bearer ${Buffer.from('chave-ação', 'utf8').toString('latin1')}`;
		expect(isAuthorized(asReceived, expected)).toBe(true);
		expect(isAuthorized('Bearer chave-ação', expected)).toBe(false);
		expect(isAuthorized('Bearer chave-a\u0100\u0101o', expected)).toBe(false);
	});

	test('challenge names the scheme and realm', () => {
		expect(challenge('Bearer', 'iLink')).toBe('Bearer realm="iLink"');
		expect(challenge('Basic', 'InvoiCy')).toBe('Basic realm="InvoiCy", charset="UTF-8"');
	});
});
