/**
 * The InvoiCy trigger's "Automatic" mode: the company JWT, the token exchange and its renewal,
 * and every branch of webhookMethods.default, against the InvoiCy API stub over real HTTP.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { InvoiCyApi } from '../../credentials/InvoiCyApi.credentials';
import {
	companyJwt,
	exchangeToken,
	invoiCyRequest,
	isTokenRejection,
} from '../../nodes/InvoiCy/InvoiCyApi';
import { InvoiCyNfseTrigger } from '../../nodes/InvoiCy/InvoiCyNfseTrigger.node';
import { webhookUses } from '../../nodes/InvoiCy/InvoiCySubscriptions';
import { findIdentificador } from '../../nodes/InvoiCy/InvoiCyWebhookRecord';
import { registrationTitle } from '../../nodes/InvoiCy/InvoiCyRegistration';
import { hookContext, httpRequest, PRODUCTION_URL, type HookSetup } from '../helpers/hookContext';
import { InvoiCyApiStub } from '../helpers/invoiCyApiStub';
import { sample } from '../helpers/fixtures';
import { deliver } from '../helpers/webhookContext';

const COMPANY = {
	cnpj: '12345678000195',
	partnerKey: 'partner-key-1',
	accessKey: 'access-key-secret',
};
const node = new InvoiCyNfseTrigger();

let stub: InvoiCyApiStub;
beforeEach(async () => {
	stub = await new InvoiCyApiStub([COMPANY]).start();
});
afterEach(async () => {
	await stub.stop();
});

function credential(overrides: IDataObject = {}) {
	return {
		environment: 'custom',
		baseUrl: stub.baseUrl,
		...COMPANY,
		accessToken: '',
		accessTokenExpiresAt: 0,
		...overrides,
	};
}

function setup(overrides: Partial<HookSetup> = {}): HookSetup {
	return {
		parameters: { authentication: 'automatic' },
		credential: credential(),
		staticData: {},
		...overrides,
	};
}

const methods = node.webhookMethods.default;
const call = (method: 'checkExists' | 'create' | 'delete', s: HookSetup) =>
	methods[method].call(hookContext(node, s).ctx);
const authCalls = () => stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth');
const webhookCalls = () => stub.requests.filter((r) => r.path.startsWith('/webhooks.aspx'));

describe('company JWT', () => {
	it('matches a vector computed independently with Python', () => {
		// python3 -c "import hmac,hashlib,base64,json
		// b=lambda x: base64.urlsafe_b64encode(x).rstrip(b'=').decode()
		// h=b(json.dumps({'alg':'HS256','typ':'JWT'},separators=(',',':')).encode())
		// p=b(json.dumps({'iat':1699999990,'exp':1700000110,'sub':'12345678000195','partnerKey':'partner-key-1'},separators=(',',':')).encode())
		// print(h+'.'+p+'.'+b(hmac.new(b'access-key-secret',(h+'.'+p).encode(),hashlib.sha256).digest()))"
		const expected =
			'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' +
			'eyJpYXQiOjE2OTk5OTk5OTAsImV4cCI6MTcwMDAwMDExMCwic3ViIjoiMTIzNDU2NzgwMDAxOTUiLCJwYXJ0bmVyS2V5IjoicGFydG5lci1rZXktMSJ9.' +
			'wA9UPi4NrBpEqEN2nG2jh8rosQnp6j5COxIwZFTQxfE';
		expect(
			companyJwt(
				{ cnpj: COMPANY.cnpj, partnerKey: COMPANY.partnerKey },
				COMPANY.accessKey,
				1_700_000_000,
			),
		).toBe(expected);
	});

	it('issues iat a few seconds in the past and exp at most 120 s after it', () => {
		const [, payload] = companyJwt(COMPANY, 'k', 1_800_000_000).split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		expect(claims.iat).toBeLessThan(1_800_000_000);
		expect(claims.iat).toBeGreaterThanOrEqual(1_800_000_000 - 15);
		expect(claims.exp - claims.iat).toBeLessThanOrEqual(120);
		expect(claims.exp).toBeGreaterThan(1_800_000_000);
	});
});

describe('token exchange (the credential preAuthentication)', () => {
	const helpers = { helpers: { httpRequest } };

	it('returns the access token and its expiry, and keeps the refresh token out', async () => {
		const output = await new InvoiCyApi().preAuthentication.call(helpers, credential());
		expect(Object.keys(output).sort()).toEqual(['accessToken', 'accessTokenExpiresAt']);
		expect(typeof output.accessToken).toBe('string');
		expect(output.accessTokenExpiresAt).toBeGreaterThan(Date.now() / 1000 + 3000);
		expect(authCalls()).toHaveLength(1);
	});

	it('accepts a CNPJ written with punctuation', async () => {
		const output = await exchangeToken.call(helpers, credential({ cnpj: '12.345.678/0001-95' }));
		expect(output.accessToken).toBeTruthy();
	});

	it.each([
		['a wrong access key', { accessKey: 'wrong' }, /HTTP 400\): 400 Invalid token: signature/],
		['an unknown CNPJ', { cnpj: '99999999000199' }, /CNPJ 99999999000199 não encontrado/],
		['a wrong partner key', { partnerKey: 'other' }, /Chave de parceiro inválida/],
	])('fails with InvoiCy’s answer for %s, without the secret', async (_, change, message) => {
		const error = await exchangeToken.call(helpers, credential(change)).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).not.toContain(COMPANY.accessKey);
	});

	it('tolerates a clock a few seconds ahead of InvoiCy’s, not a token issued far away', async () => {
		// 12 s behind: our iat, 10 s in the past, is 2 s ahead of InvoiCy's clock (tolerated).
		stub.now = () => Math.floor(Date.now() / 1000) - 12;
		await expect(exchangeToken.call(helpers, credential())).resolves.toHaveProperty('accessToken');
		stub.now = () => Math.floor(Date.now() / 1000) + 200; // our JWT expired on arrival
		await expect(exchangeToken.call(helpers, credential())).rejects.toThrow(/expired/);
	});

	it('the stub enforces exp - iat <= 120 and single-use refresh tokens, as documented', async () => {
		const now = Math.floor(Date.now() / 1000);
		const long = companyJwt(COMPANY, COMPANY.accessKey, now).split('.');
		const claims = { iat: now, exp: now + 121, sub: COMPANY.cnpj, partnerKey: COMPANY.partnerKey };
		long[1] = Buffer.from(JSON.stringify(claims)).toString('base64url');
		const { createHmac } = await import('node:crypto');
		long[2] = createHmac('sha256', COMPANY.accessKey)
			.update(`${long[0]}.${long[1]}`)
			.digest('base64url');
		const post = (body: object) =>
			httpRequest({
				method: 'POST',
				url: `${stub.baseUrl}/oauth2/invoicy/auth`,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			} as IHttpRequestOptions) as Promise<{ statusCode: number; body: any }>;
		expect((await post({ token: long.join('.') })).body[0].Descricao).toMatch(/exp - iat > 120/);

		const first = await post({ token: companyJwt(COMPANY, COMPANY.accessKey, now) });
		const renewed = await post({ refreshToken: first.body.refreshToken });
		expect(renewed.statusCode).toBe(200);
		expect(renewed.body.accessToken).not.toBe(first.body.accessToken);
		const again = await post({ refreshToken: first.body.refreshToken });
		expect(again.statusCode).toBe(400);
		expect(again.body[0].Descricao).toBe('Invalid token');
	});
});

describe('authenticated calls (n8n stores the token in the credential)', () => {
	const get = (s: HookSetup) =>
		invoiCyRequest(hookContext(node, s).ctx, 'GET', '/webhooks.aspx', {
			qs: { Identificador: 'none' },
		});

	it('exchanges once, then reuses the stored token', async () => {
		const s = setup();
		await get(s);
		await get(s);
		expect(authCalls()).toHaveLength(1);
		expect(s.credential.accessToken).toBeTruthy();
		const sent = webhookCalls().map((r) => r.authorization);
		expect(sent).toEqual([s.credential.accessToken, s.credential.accessToken]);
	});

	it('answers InvoiCy’s 400 "Invalid token" with a new token and one retry', async () => {
		const s = setup();
		await get(s);
		const oldToken = s.credential.accessToken;
		stub.expireAccessTokens();
		const response = await get(s);
		expect(response.statusCode).toBe(404); // the webhook "none" does not exist: a real answer
		expect(authCalls()).toHaveLength(2);
		expect(s.credential.accessToken).not.toBe(oldToken);
		expect(webhookCalls().map((r) => r.status)).toEqual([404, 400, 404]);
	});

	it('replaces a stored token near its expiry before using it', async () => {
		const s = setup();
		await get(s);
		s.credential.accessTokenExpiresAt = Math.floor(Date.now() / 1000) + 30;
		await get(s);
		expect(authCalls()).toHaveLength(2);
		expect(webhookCalls().map((r) => r.status)).toEqual([404, 404]);
	});

	it('recognises InvoiCy’s token refusals and nothing else', () => {
		expect(isTokenRejection(400, [{ Codigo: 400, Descricao: 'Invalid token' }])).toBe(true);
		expect(isTokenRejection(401, '')).toBe(true);
		expect(isTokenRejection(400, [{ Codigo: 400, Descricao: 'URL inválida' }])).toBe(false);
		expect(isTokenRejection(200, 'Invalid token')).toBe(false);
	});
});

describe('webhookMethods.default in Automatic mode', () => {
	it('checkExists is false before anything was registered', async () => {
		await expect(call('checkExists', setup())).resolves.toBe(false);
		expect(webhookCalls()).toHaveLength(0);
	});

	it('create registers the production URL with a generated Bearer token', async () => {
		const s = setup();
		await expect(call('create', s)).resolves.toBe(true);
		const [webhook] = stub.webhooks();
		expect(stub.webhooks()).toHaveLength(1);
		expect(webhook).toMatchObject({
			URL: PRODUCTION_URL,
			Status: 'A',
			TipoAutenticacao: 2,
			cnpj: COMPANY.cnpj,
			Uso: [{ Modulo: 4, TipoNotificacao: [2] }],
			// As many resends as InvoiCy's layout allows, at the node's default interval.
			TentativasReenvioAut: 3,
			IntervaloTentativas: 60,
		});
		expect([...webhook.Descricao].length).toBeLessThanOrEqual(40);
		expect(webhook.TokenAutenticacao).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(s.staticData).toEqual({
			invoiCyWebhookId: webhook.Identificador,
			invoiCyWebhookToken: webhook.TokenAutenticacao,
		});
		await expect(call('checkExists', s)).resolves.toBe(true);
	});

	it('a republish that finds its own active webhook never creates a second', async () => {
		const s = setup();
		await call('create', s);
		const token = s.staticData.invoiCyWebhookToken;
		await call('create', s);
		await call('create', s);
		expect(stub.webhooks()).toHaveLength(1);
		expect(stub.webhooks()[0]).toMatchObject({ Status: 'A', TokenAutenticacao: token });
	});

	it("every registration request (POST and PUT) carries the layout's retry fields and a title of at most 40 characters", async () => {
		const s = setup({
			parameters: { authentication: 'automatic', resendInterval: 15 },
			workflowName: 'Faturas do cliente Ferreira & Filhos Lda — NFS-e recebidas',
		});
		await call('create', s); // POST
		await call('delete', s); // PUT Status I
		await call('create', s); // PUT Status A
		const writes = webhookCalls().filter((r) => r.method === 'POST' || r.method === 'PUT');
		expect(writes.map((r) => r.method)).toEqual(['POST', 'PUT', 'PUT']);
		for (const { body, status } of writes) {
			expect(status).toBe(200); // the stub refuses what the layout forbids
			expect(body).toMatchObject({ TentativasReenvioAut: 3, IntervaloTentativas: 15 });
			expect([...(body as { Descricao: string }).Descricao].length).toBeLessThanOrEqual(40);
		}
		expect(stub.webhooks()[0].Descricao).toBe('n8n: Faturas do clie… / InvoiCy NFS-e S…');
	});

	it('the title keeps short names whole and gives way on the longer one first', () => {
		expect(registrationTitle('NFS-e to ERP', 'InvoiCy NFS-e Status')).toBe(
			'n8n: NFS-e to ERP / InvoiCy NFS-e Status',
		);
		expect(registrationTitle('A very long workflow name for one client', 'Trigger')).toBe(
			'n8n: A very long workflow nam… / Trigger',
		);
		for (const [workflow, node] of [
			['x'.repeat(500), 'y'.repeat(3)],
			['', ''],
			['ç'.repeat(40), 'ã'.repeat(40)],
		])
			expect([...registrationTitle(workflow, node)].length).toBeLessThanOrEqual(40);
	});

	it('delete deactivates; the next publish reactivates the same webhook', async () => {
		const s = setup();
		await call('create', s);
		const id = s.staticData.invoiCyWebhookId;
		await expect(call('delete', s)).resolves.toBe(true);
		expect(stub.webhooks()).toEqual([expect.objectContaining({ Identificador: id, Status: 'I' })]);
		await expect(call('checkExists', s)).resolves.toBe(false);
		await call('create', s);
		expect(stub.webhooks()).toEqual([expect.objectContaining({ Identificador: id, Status: 'A' })]);
	});

	it('checkExists is false when the webhook is gone, inactive or points elsewhere', async () => {
		const s = setup();
		await call('create', s);
		const id = String(s.staticData.invoiCyWebhookId);
		stub.editWebhook(id, { URL: 'https://elsewhere.example/hook' });
		await expect(call('checkExists', s)).resolves.toBe(false);
		stub.editWebhook(id, { URL: PRODUCTION_URL, Status: 'I' });
		await expect(call('checkExists', s)).resolves.toBe(false);
		stub.removeWebhook(id);
		await expect(call('checkExists', s)).resolves.toBe(false);
		// Gone: create registers a new one and remembers it.
		await call('create', s);
		expect(stub.webhooks()).toHaveLength(1);
		expect(s.staticData.invoiCyWebhookId).toBe(stub.webhooks()[0].Identificador);
		expect(s.staticData.invoiCyWebhookId).not.toBe(id);
	});

	it('a registration refused by InvoiCy fails the publish with its Codigo and Descricao', async () => {
		stub.failNext('POST', 400, 301, 'CNPJ sem licença para o módulo NFS-e');
		const s = setup();
		await expect(call('create', s)).rejects.toThrow(
			'InvoiCy did not register the webhook (HTTP 400): 301 CNPJ sem licença para o módulo NFS-e',
		);
		expect(s.staticData).toEqual({});
	});

	it('an answer without Identificador fails the publish too', async () => {
		stub.failNext('POST', 200, 100, 'Solicitação recebida');
		await expect(call('create', setup())).rejects.toThrow(/100 Solicitação recebida/);
	});

	it('a failed deactivation is logged and does not block unpublishing', async () => {
		const s = setup();
		await call('create', s);
		stub.failNext('PUT', 500, 999, 'Erro interno');
		const run = hookContext(node, s);
		await expect(methods.delete.call(run.ctx)).resolves.toBe(false);
		expect(run.logs.map((l) => l.message).join('\n')).toMatch(/999 Erro interno/);
	});

	it('registers the optional notification types in their modules', async () => {
		const s = setup({
			parameters: { authentication: 'automatic', notificationTypes: ['2', '8', '14'] },
		});
		await call('create', s);
		expect(stub.webhooks()[0].Uso).toEqual([
			{ Modulo: 4, TipoNotificacao: [2, 14] },
			{ Modulo: 14, TipoNotificacao: [8] },
		]);
		expect(webhookUses([])).toEqual([{ Modulo: 4, TipoNotificacao: [2] }]);
	});

	it('does nothing remotely for the Test URL or the manual modes', async () => {
		for (const s of [
			setup({ activation: 'manual' }),
			setup({ parameters: { authentication: 'bearerToken' } }),
			setup({ parameters: { authentication: 'none' } }),
		]) {
			await expect(call('checkExists', s)).resolves.toBe(true);
			await expect(call('create', s)).resolves.toBe(true);
			await expect(call('delete', s)).resolves.toBe(true);
		}
		expect(stub.requests).toHaveLength(0);
	});

	it('reads Identificador wherever the create answer puts it', () => {
		expect(findIdentificador([{ Codigo: 100, Identificador: 'a' }])).toBe('a');
		expect(findIdentificador({ Retorno: [{ identificador: 'b' }] })).toBe('b');
		expect(findIdentificador([{ Codigo: 100, Descricao: 'ok' }])).toBeUndefined();
	});
});

describe('deliveries in Automatic mode', () => {
	const payload = sample('invoicy-nfse-authorized');

	it('accepts the stored token, rejects another with 401, fails closed without one', async () => {
		const staticData = { invoiCyWebhookToken: 'generated-token-123' };
		const parameters = { authentication: 'automatic' };
		const ok = await deliver(
			node,
			{ body: payload, headers: { authorization: 'Bearer generated-token-123' } },
			{ parameters, staticData },
		);
		expect(ok.status).toBe(200);
		expect(ok.started).toBe(true);
		expect(ok.outputs[0]).toHaveLength(1);
		const wrong = await deliver(
			node,
			{ body: payload, headers: { authorization: 'Bearer other' } },
			{ parameters, staticData },
		);
		expect(wrong.status).toBe(401);
		expect(wrong.started).toBe(false);
		const none = await deliver(
			node,
			{ body: payload, headers: { authorization: 'Bearer ' } },
			{ parameters, staticData: {} },
		);
		expect(none.status).toBe(500);
		expect(none.started).toBe(false);
	});
});
