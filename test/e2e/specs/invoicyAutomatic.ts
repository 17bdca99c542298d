/**
 * The InvoiCy trigger's Automatic mode in real n8n (2.x and 1.x) against the InvoiCy
 * API stub (test/helpers/invoiCyApiStub.ts) on 127.0.0.1. n8n reaches the stub through the
 * credential's "Custom Base URL" environment: the request then goes through exactly the code
 * path of production (preAuthentication, authenticate, httpRequestWithAuthentication), only the
 * host differs, and nothing leaves the machine.
 *
 * Publishing and unpublishing a running n8n goes through its REST API as the editor does (owner
 * login): 2.x POST /rest/workflows/:id/activate|deactivate, 1.x PATCH /rest/workflows/:id.
 * A spec of test/e2e/suite.test.ts.
 */
import { readFileSync } from 'node:fs';

import { samplePath } from '../../helpers/fixtures';
import { InvoiCyApiStub } from '../../helpers/invoiCyApiStub';
import { type N8nInstance, nodeOutputs, type WorkflowSpec } from '../harness';
import type { E2eSpec } from '../sharedN8n';
import { PKG } from '../workflows';

const COMPANY = {
	cnpj: '12345678000195',
	partnerKey: 'e2e-partner-key',
	accessKey: 'e2e-company-access-key-0123456789',
};
const CREDENTIAL_ID = 'e2eCredInvoiCyApi';
const WORKFLOW_ID = 'e2eWfNfseAuto001';
const WEBHOOK_ID = 'e2e00000-0000-4000-8000-000000000101';
const NODE_NAME = 'NFS-e automatic';
const HOOK_PATH = `/webhook/${WEBHOOK_ID}/invoicy-nfse`;
const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-password-1',
};
const fixture = JSON.parse(readFileSync(samplePath('invoicy-nfse-authorized'), 'utf8'));

function workflow(): WorkflowSpec {
	return {
		id: WORKFLOW_ID,
		// Longer than InvoiCy's 40-character Descricao allows with the node's name: cut to fit.
		name: 'e2e InvoiCy automatic registration of the NFS-e of a client',
		nodes: [
			{
				id: 'e2e00001-0000-4000-8000-000000000101',
				name: NODE_NAME,
				type: `${PKG}.invoiCyNfseTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { authentication: 'automatic', options: { ignoreDuplicates: false } },
				credentials: { invoiCyApi: { id: CREDENTIAL_ID, name: 'InvoiCy API e2e' } },
			},
			{
				id: 'e2e00002-0000-4000-8000-000000000101',
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [300, 0],
				parameters: {},
			},
		],
		connections: { [NODE_NAME]: { main: [[{ node: 'After', type: 'main', index: 0 }], []] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The editor's REST API, logged in as the owner. */
class EditorApi {
	private cookie = '';
	constructor(
		private readonly n8n: N8nInstance,
		private readonly major: number,
	) {}

	async login() {
		const setup = await this.call('POST', '/rest/owner/setup', OWNER);
		if (setup.status !== 200 && setup.status !== 400) {
			throw new Error(`owner setup: HTTP ${setup.status} ${JSON.stringify(setup.body)}`);
		}
		const login = await fetch(this.n8n.url('/rest/login'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!login.ok) throw new Error(`login: HTTP ${login.status} ${await login.text()}`);
		const cookie = login.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('login: no n8n-auth cookie');
		this.cookie = cookie;
	}

	async call(method: string, path: string, body?: unknown) {
		const res = await fetch(this.n8n.url(path), {
			method,
			headers: {
				'content-type': 'application/json',
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let parsed: any = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: res.status, body: parsed };
	}

	private async versionId(): Promise<string> {
		const res = await this.call('GET', `/rest/workflows/${WORKFLOW_ID}`);
		if (res.status !== 200) throw new Error(`get workflow: HTTP ${res.status}`);
		return res.body.data.versionId;
	}

	/**
	 * Publishes (2.x) or activates (1.x) the workflow, as the editor's button does, and returns
	 * how it ended. 2.40.7 publishes in the background (its publication outbox): the editor then
	 * shows the outcome it reads from /publication-status, so wait for that; 1.x answers at once.
	 */
	async publish(): Promise<{ ok: boolean; detail: string }> {
		const versionId = await this.versionId();
		if (this.major < 2) {
			const res = await this.call('PATCH', `/rest/workflows/${WORKFLOW_ID}`, {
				active: true,
				versionId,
			});
			return { ok: res.status === 200, detail: JSON.stringify(res.body) };
		}
		const res = await this.call('POST', `/rest/workflows/${WORKFLOW_ID}/activate`, { versionId });
		if (res.status !== 200) return { ok: false, detail: JSON.stringify(res.body) };
		const status = await this.settledPublication();
		return { ok: status.status === 'published', detail: JSON.stringify(status) };
	}

	async unpublish(): Promise<{ ok: boolean; detail: string }> {
		const versionId = await this.versionId();
		const res =
			this.major >= 2
				? await this.call('POST', `/rest/workflows/${WORKFLOW_ID}/deactivate`, {})
				: await this.call('PATCH', `/rest/workflows/${WORKFLOW_ID}`, { active: false, versionId });
		if (res.status !== 200 || this.major < 2)
			return { ok: res.status === 200, detail: JSON.stringify(res.body) };
		const status = await this.settledPublication();
		return { ok: status.status === 'not_published', detail: JSON.stringify(status) };
	}

	/** 2.x: the publication status once no publication is in flight. */
	private async settledPublication(timeoutMs = 180_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await this.call('GET', `/rest/workflows/${WORKFLOW_ID}/publication-status`);
			const status = res.body?.data ?? res.body;
			if (res.status === 200 && status?.status !== 'in_progress') return status;
			if (Date.now() > deadline) throw new Error(`publication still in progress: ${res.status}`);
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	/** The credential's Test button. */
	async testCredential(data: Record<string, unknown>) {
		return await this.call('POST', '/rest/credentials/test', {
			credentials: { id: CREDENTIAL_ID, name: 'InvoiCy API e2e', type: 'invoiCyApi', data },
		});
	}
}

export const invoiCyAutomaticSpec: E2eSpec = {
	title: 'InvoiCy Automatic mode',
	define(suite) {
		const { version } = suite;
		let stub: InvoiCyApiStub;
		let n8n: N8nInstance;
		let editor: EditorApi;
		const productionUrl = () => n8n.url(HOOK_PATH);
		const authCount = () => stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth').length;
		const only = () => {
			const all = stub.webhooks();
			expect(all).toHaveLength(1);
			return all[0];
		};

		suite.needs(async () => {
			stub = await new InvoiCyApiStub([COMPANY]).start();
			return {
				credentials: [
					{
						id: CREDENTIAL_ID,
						name: 'InvoiCy API e2e',
						type: 'invoiCyApi',
						data: { environment: 'custom', baseUrl: stub.baseUrl, ...COMPANY },
					},
				],
				workflows: [workflow()],
				webhookPaths: [HOOK_PATH],
				// The Production URL n8n gives the node: its own loopback address.
				env: { N8N_HOST: '127.0.0.1' },
				close: () => stub.stop(),
			};
		});

		beforeAll(async () => {
			n8n = suite.n8n;
			editor = new EditorApi(n8n, Number(version.split('.')[0]));
			await editor.login();
		});

		it('publishing registered one active webhook with the Production URL and a Bearer token', () => {
			const webhook = only();
			expect(webhook).toMatchObject({
				URL: productionUrl(),
				Status: 'A',
				TipoAutenticacao: 2,
				cnpj: COMPANY.cnpj,
				Uso: [{ Modulo: 4, TipoNotificacao: [2] }],
				TentativasReenvioAut: 3,
				IntervaloTentativas: 60,
			});
			expect([...webhook.Descricao].length).toBeLessThanOrEqual(40);
			expect(webhook.TokenAutenticacao.length).toBeGreaterThanOrEqual(40);
			// One token exchange, its token sent bare in Authorization on the webhook calls.
			const auth = stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth');
			expect(auth).toHaveLength(1);
			// One registration; reads (n8n checking the webhook exists, as 1.x does when the shared
			// n8n restarts for an earlier spec) change nothing.
			const calls = stub.requests.filter((r) => r.path.startsWith('/webhooks.aspx'));
			expect(calls.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual(['POST']);
			expect(calls[0].authorization).toMatch(/^[A-Za-z0-9_-]{20,}$/);
		});

		it('a delivery from InvoiCy with the registered token starts the workflow', async () => {
			const mark = n8n.mark();
			const res = await stub.deliver(only().Identificador, fixture);
			expect(res.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(1, { after: mark });
			expect(execution.status).toBe('success');
			const [documents] = nodeOutputs(execution, NODE_NAME);
			expect(documents).toHaveLength(1);
			expect(documents[0].json).toMatchObject({ source: 'invoicy', status: 'authorized' });
		});

		it('a delivery with another token gets 401 and starts nothing', async () => {
			const mark = n8n.mark();
			const res = await stub.deliver(only().Identificador, fixture, { token: 'not-the-token' });
			expect(res.status).toBe(401);
			expect(await n8n.executionsAfterSettle(mark)).toEqual([]);
		});

		it('the Test button exchanges the keys for a token, and reports InvoiCy’s refusal', async () => {
			const data = { environment: 'custom', baseUrl: stub.baseUrl, ...COMPANY };
			const before = stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth').length;
			const good = await editor.testCredential(data);
			expect(good.status).toBe(200);
			expect(good.body.data).toMatchObject({ status: 'OK' });
			const bad = await editor.testCredential({ ...data, accessKey: 'wrong-key' });
			expect(bad.body.data.status).toBe('Error');
			expect(bad.body.data.message).toMatch(/Invalid token: signature/);
			expect(JSON.stringify(bad.body)).not.toContain('wrong-key');
			expect(stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth').length).toBe(
				before + 2,
			);
		});

		it('unpublishing deactivates the webhook, with a new token when InvoiCy says "Invalid token"', async () => {
			const authBefore = stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth').length;
			stub.expireAccessTokens(); // the stored token is now refused with 400 "Invalid token"
			const res = await editor.unpublish();
			expect(res).toMatchObject({ ok: true });
			expect(only().Status).toBe('I');
			const auth = stub.requests.filter((r) => r.path === '/oauth2/invoicy/auth');
			expect(auth.length).toBe(authBefore + 1);
			const last = stub.requests.filter((r) => r.method === 'PUT').at(-1)!;
			expect(last.status).toBe(200);
		});

		it(
			'publishing again reactivates the same webhook; a restart and another publish keep one',
			async () => {
				const id = only().Identificador;
				const exchanges = authCount();
				expect(await editor.publish()).toMatchObject({ ok: true });
				expect(only()).toMatchObject({ Identificador: id, Status: 'A', URL: productionUrl() });
				// n8n saved the token renewed while unpublishing in the credential: no new exchange.
				expect(authCount()).toBe(exchanges);

				await n8n.restart();
				await editor.login();
				expect(only()).toMatchObject({ Identificador: id, Status: 'A' });
				expect(await editor.publish()).toMatchObject({ ok: true });
				expect(only()).toMatchObject({ Identificador: id, Status: 'A', URL: productionUrl() });
				expect(
					stub.requests.filter((r) => r.method === 'POST' && r.path === '/webhooks.aspx'),
				).toHaveLength(1);

				// Still delivered with the token n8n kept across the restart.
				const mark = n8n.mark();
				expect((await stub.deliver(id, fixture)).status).toBe(200);
				await n8n.waitForExecutions(1, { after: mark });
			},
			8 * 60_000,
		); // restarts n8n: up to its 3-minute start-up on a loaded machine

		it(
			'a registration InvoiCy refuses makes the publish fail with InvoiCy’s message',
			async () => {
				expect(await editor.unpublish()).toMatchObject({ ok: true });
				stub.removeWebhook(only().Identificador); // gone on InvoiCy's side: the next publish POSTs
				// InvoiCy refuses every attempt (2.x retries a failed publication in the background).
				stub.failNext('POST', 400, 301, 'CNPJ sem licença para o módulo NFS-e', 1000);
				const res = await editor.publish();
				expect(res.ok).toBe(false);
				expect(res.detail).toContain('301 CNPJ sem licença para o módulo NFS-e');
				expect(stub.webhooks()).toEqual([]);
				// Nothing listens: InvoiCy would get n8n's 404 rather than a silent success.
				const probe = await fetch(productionUrl(), { method: 'POST', body: '{}' });
				expect(probe.status).toBe(404);
				stub.clearFailures();
			},
			5 * 60_000,
		); // 2.x retries the publication in the background before reporting it failed

		it("every registration request (POST and PUT) met InvoiCy's layout: both retry fields, a Descricao of at most 40 characters", () => {
			const writes = stub.requests.filter(
				(r) => r.path.startsWith('/webhooks.aspx') && (r.method === 'POST' || r.method === 'PUT'),
			);
			expect(writes.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'PUT']));
			for (const { body } of writes) {
				const sent = body as Record<string, unknown>;
				expect(sent).toMatchObject({ TentativasReenvioAut: 3, IntervaloTentativas: 60 });
				expect([...String(sent.Descricao)].length).toBeLessThanOrEqual(40);
			}
		});
	},
};
