/** No secret leaks: the secret and the Authorization header never appear in logs, bodies or items. */
import { sample } from '../helpers/fixtures';
import {
	basicHeader,
	everythingVisible,
	SECRETS,
	send,
	type NodeKind,
	type SendOptions,
} from '../helpers/unit';

interface LeakCase {
	label: string;
	kind: NodeKind;
	body: () => unknown;
	opts: SendOptions;
	/** Strings that must appear nowhere. */
	secrets: string[];
	expectedStatus: number;
}

const iLinkHeader = `Bearer ${SECRETS.iLinkKey}`;
const basicRight = basicHeader(SECRETS.basicUser, SECRETS.basicPassword);
const basicRightEncoded = basicRight.slice('Basic '.length);

/** Wrong attempts that contain (parts of) the secret, as a confused sender or an attacker would send. */
const nearMiss = (secret: string) => `Bearer ${secret}-plus-extra`;

const CASES: LeakCase[] = [];
for (const kind of ['iLinkNewDocument', 'iLinkStatusChange'] as NodeKind[]) {
	const body =
		kind === 'iLinkNewDocument'
			? () => sample('ilink-new-document')
			: () => sample('ilink-status-change-rejected');
	CASES.push(
		{
			label: `${kind} right key`,
			kind,
			body,
			opts: {},
			secrets: [SECRETS.iLinkKey, iLinkHeader],
			expectedStatus: 200,
		},
		{
			label: `${kind} wrong key`,
			kind,
			body,
			opts: { authorization: nearMiss(SECRETS.iLinkKey) },
			secrets: [SECRETS.iLinkKey, nearMiss(SECRETS.iLinkKey)],
			expectedStatus: 401,
		},
		{
			label: `${kind} right key, invalid payload rejected with 422`,
			kind,
			body: () => ({ id: '' }),
			opts: { options: { invalidPayload: 'reject' } },
			secrets: [SECRETS.iLinkKey, iLinkHeader],
			expectedStatus: 422,
		},
		{
			label: `${kind} right key, not a JSON object`,
			kind,
			body: () => '[1]',
			opts: {},
			secrets: [SECRETS.iLinkKey, iLinkHeader],
			expectedStatus: 400,
		},
		{
			label: `${kind} right key from a refused address`,
			kind,
			body,
			opts: { options: { allowedIps: '10.0.0.1' }, ip: '10.0.0.2' },
			secrets: [SECRETS.iLinkKey, iLinkHeader],
			expectedStatus: 403,
		},
		{
			label: `${kind} credential with an empty key but a header`,
			kind,
			body,
			opts: { credentials: { iLinkAccessKeyApi: { accessKey: '' } } },
			secrets: [SECRETS.iLinkKey, iLinkHeader],
			expectedStatus: 500,
		},
	);
}
CASES.push(
	{
		label: 'InvoiCy bearer right',
		kind: 'invoiCyNfse',
		body: () => sample('invoicy-nfse-authorized'),
		opts: {},
		secrets: [SECRETS.invoiCyToken, `Bearer ${SECRETS.invoiCyToken}`],
		expectedStatus: 200,
	},
	{
		label: 'InvoiCy bearer wrong',
		kind: 'invoiCyNfse',
		body: () => sample('invoicy-nfse-authorized'),
		opts: { authorization: nearMiss(SECRETS.invoiCyToken) },
		secrets: [SECRETS.invoiCyToken, nearMiss(SECRETS.invoiCyToken)],
		expectedStatus: 401,
	},
	{
		label: 'InvoiCy basic right',
		kind: 'invoiCyNfse',
		body: () => sample('invoicy-nfse-authorized'),
		opts: { parameters: { authentication: 'basicAuth' } },
		secrets: [SECRETS.basicPassword, basicRight, basicRightEncoded],
		expectedStatus: 200,
	},
	{
		label: 'InvoiCy basic wrong password',
		kind: 'invoiCyNfse',
		body: () => sample('invoicy-nfse-authorized'),
		opts: {
			parameters: { authentication: 'basicAuth' },
			authorization: basicHeader(SECRETS.basicUser, `${SECRETS.basicPassword}x`),
		},
		secrets: [
			SECRETS.basicPassword,
			basicRightEncoded,
			basicHeader(SECRETS.basicUser, `${SECRETS.basicPassword}x`),
			Buffer.from(`${SECRETS.basicUser}:${SECRETS.basicPassword}x`).toString('base64'),
		],
		expectedStatus: 401,
	},
	{
		label: 'InvoiCy basic, password sent as Bearer',
		kind: 'invoiCyNfse',
		body: () => sample('invoicy-nfse-authorized'),
		opts: {
			parameters: { authentication: 'basicAuth' },
			authorization: `Bearer ${SECRETS.basicPassword}`,
		},
		secrets: [SECRETS.basicPassword, basicRightEncoded],
		expectedStatus: 401,
	},
	{
		label: 'InvoiCy right token, schema failure on the Invalid output',
		kind: 'invoiCyNfse',
		body: () => ({ documento: { DocModelo: 'NFSe' } }),
		opts: {},
		secrets: [SECRETS.invoiCyToken, `Bearer ${SECRETS.invoiCyToken}`],
		expectedStatus: 200,
	},
);

describe.each(CASES)('$label', ({ kind, body, opts, secrets, expectedStatus }) => {
	test(`answers ${expectedStatus} and no secret appears in logs, response or items`, async () => {
		const result = await send(kind, body(), opts);
		expect(result.status).toBe(expectedStatus);
		expect(result.logs.length + result.outputs.flat().length).toBeGreaterThan(0);
		const visible = everythingVisible(result);
		for (const secret of secrets) expect(visible).not.toContain(secret);
		// Item binary data is built from the body only; check it too.
		for (const item of result.outputs.flat()) {
			const binaryText = JSON.stringify(item.binary ?? {});
			for (const secret of secrets) expect(binaryText).not.toContain(secret);
		}
	});
});

test('the leak check can fail: a secret in the body does show up in the item raw', async () => {
	const body = { ...sample('ilink-new-document'), note: SECRETS.iLinkKey };
	const result = await send('iLinkNewDocument', body);
	expect(everythingVisible(result)).toContain(SECRETS.iLinkKey);
});
