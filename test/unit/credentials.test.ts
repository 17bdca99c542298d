/** The credentials' "Test" buttons (methods.credentialTest) and the credential definitions. */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeType,
} from 'n8n-workflow';

import { ILinkAccessKeyApi } from '../../credentials/ILinkAccessKeyApi.credentials';
import { InvoiCyApi } from '../../credentials/InvoiCyApi.credentials';
import { InvoiCyBasicAuthApi } from '../../credentials/InvoiCyBasicAuthApi.credentials';
import { InvoiCyBearerTokenApi } from '../../credentials/InvoiCyBearerTokenApi.credentials';
import { NODES } from '../helpers/unit';

type TestName = 'iLinkAccessKeyTest' | 'invoiCyBasicAuthTest' | 'invoiCyBearerTokenTest';

async function runTest(node: INodeType, name: TestName, data: IDataObject | undefined) {
	const tests = node.methods?.credentialTest as Record<
		string,
		(
			this: ICredentialTestFunctions,
			c: ICredentialsDecrypted,
		) => Promise<{ status: string; message: string }>
	>;
	expect(typeof tests?.[name]).toBe('function');
	const credential = { id: '1', name: 'test', type: 'x', data } as ICredentialsDecrypted;
	return tests[name].call({} as ICredentialTestFunctions, credential);
}

describe('every node names a credential test it has', () => {
	test.each(Object.entries(NODES))('%s', (_kind, node) => {
		for (const credential of node.description.credentials ?? []) {
			// invoiCyApi tests itself: its own test request, after the real token exchange.
			if (credential.name === 'invoiCyApi') {
				expect(new InvoiCyApi().test.request.method).toBe('GET');
				continue;
			}
			expect(credential.testedBy).toBeDefined();
			expect(Object.keys(node.methods?.credentialTest ?? {})).toContain(credential.testedBy);
		}
	});
});

describe.each([
	['iLinkNewDocument', 'iLinkAccessKeyTest', 'accessKey'],
	['iLinkStatusChange', 'iLinkAccessKeyTest', 'accessKey'],
	['invoiCyNfse', 'invoiCyBearerTokenTest', 'token'],
] as Array<[keyof typeof NODES, TestName, string]>)('%s %s', (kind, name, field) => {
	test('OK for a good secret', async () => {
		expect(await runTest(NODES[kind], name, { [field]: 'a-Good_s3cret.value~+/=' })).toEqual({
			status: 'OK',
			message: expect.any(String),
		});
	});

	test.each([
		['empty', ''],
		['only spaces', '   '],
		['missing', undefined],
		['not a string', 12345],
		['inner space', 'two words'],
		['tab', 'tab\tinside'],
		['new line', 'line\nbreak'],
		['control character', 'bell\u0007'],
	])('Error for %s', async (_label, value) => {
		const result = await runTest(NODES[kind], name, value === undefined ? {} : { [field]: value });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(field);
	});

	test('Error when the credential has no data at all', async () => {
		expect((await runTest(NODES[kind], name, undefined)).status).toBe('Error');
	});

	test('the message never repeats the secret', async () => {
		const result = await runTest(NODES[kind], name, { [field]: 'has space-SECRETVALUE' });
		expect(result.message).not.toContain('SECRETVALUE');
	});
});

describe('invoiCyBasicAuthTest', () => {
	const test_ = (data: IDataObject | undefined) =>
		runTest(NODES.invoiCyNfse, 'invoiCyBasicAuthTest', data);

	test('OK for a good user and password (the password may contain ":")', async () => {
		expect((await test_({ user: 'empresa', password: 'p4ss' })).status).toBe('OK');
		expect((await test_({ user: 'empresa', password: 'a:b:c' })).status).toBe('OK');
	});

	test.each([
		['empty user', { user: '', password: 'p' }, 'user'],
		['empty password', { user: 'u', password: '' }, 'password'],
		['user with spaces', { user: 'my user', password: 'p' }, 'user'],
		['password with spaces', { user: 'u', password: 'my password' }, 'password'],
		['user containing ":"', { user: 'us:er', password: 'p' }, ':'],
	])('Error for %s', async (_label, data, mentioned) => {
		const result = await test_(data);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(mentioned);
	});
});

describe('credential definitions (names are part of the public contract)', () => {
	test.each([
		[new ILinkAccessKeyApi(), 'iLinkAccessKeyApi', ['accessKey']],
		[new InvoiCyBasicAuthApi(), 'invoiCyBasicAuthApi', ['user', 'password', 'tokenAsTyped']],
		[new InvoiCyBearerTokenApi(), 'invoiCyBearerTokenApi', ['token']],
	])('%#: %s', (credential, name, fields) => {
		expect(credential.name).toBe(name);
		const real = credential.properties.filter((property) => property.type !== 'notice');
		expect(real.map((property) => property.name)).toEqual(fields);
		const secretField = real[real.length - 1];
		expect(secretField.typeOptions?.password).toBe(true);
	});

	test('node names and credential wiring', () => {
		expect(NODES.iLinkNewDocument.description.name).toBe('iLinkNewDocumentTrigger');
		expect(NODES.iLinkStatusChange.description.name).toBe('iLinkStatusChangeTrigger');
		expect(NODES.invoiCyNfse.description.name).toBe('invoiCyNfseTrigger');
		expect(NODES.iLinkNewDocument.description.credentials).toEqual([
			expect.objectContaining({ name: 'iLinkAccessKeyApi', required: true }),
		]);
		expect(NODES.iLinkStatusChange.description.credentials).toEqual([
			expect.objectContaining({ name: 'iLinkAccessKeyApi', required: true }),
		]);
		expect(
			NODES.invoiCyNfse.description.credentials?.map((credential) => credential.name).sort(),
		).toEqual(['invoiCyApi', 'invoiCyBasicAuthApi', 'invoiCyBearerTokenApi']);
		const authentication = NODES.invoiCyNfse.description.properties.find(
			(property) => property.name === 'authentication',
		);
		expect(
			authentication?.options?.map((option) => (option as { value: string }).value).sort(),
		).toEqual(['automatic', 'basicAuth', 'bearerToken', 'none']);
	});

	test('invoiCyApi: the contract’s fields, the access key secret, the token hidden', () => {
		const credential = new InvoiCyApi();
		expect(credential.name).toBe('invoiCyApi');
		const field = (name: string) => credential.properties.find((p) => p.name === name);
		for (const name of ['environment', 'cnpj', 'partnerKey', 'accessKey']) {
			expect(field(name)).toBeDefined();
		}
		expect(field('environment')?.options?.map((o) => (o as { value: string }).value)).toEqual([
			'production',
			'homologation',
			'custom',
		]);
		expect(field('accessKey')?.typeOptions?.password).toBe(true);
		expect(field('accessToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
		});
	});
});
