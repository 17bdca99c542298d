/**
 * A stub of InvoiCy's REST API, written from its documentation (repository
 * migrate-company/integracao-InvoiCy-BR, "Integração IA/REST/llms.txt", and the `webhook/`
 * examples), listening on 127.0.0.1 only:
 *
 * - POST /oauth2/invoicy/auth `{ token }`: verifies the company JWT (HS256 with the company's access
 *   key, `sub` = CNPJ, `partnerKey`, `iat`/`exp` with `exp - iat <= 120`), answers
 *   `{ accessToken (1 h), accessTokenExpireAt, refreshToken (24 h), refreshTokenExpireAt }`;
 *   `{ refreshToken }` renews once (single use).
 * - Authenticated calls carry `Authorization: <accessToken>` (no scheme word); an unknown or expired
 *   token is answered 400 "Invalid token", as InvoiCy does.
 * - Webhooks at /aWebhooks.aspx (homologation) and /webhooks.aspx (production): POST creates, PUT
 *   changes (Status "I" is the documented removal), GET ?Identificador= reads. Answers are the
 *   usual `[{ Codigo, Descricao, ... }]`.
 * - deliver() posts a notification to a registered URL with the registered authentication, as
 *   InvoiCy would.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubCompany {
	cnpj: string;
	partnerKey: string;
	accessKey: string;
}

export interface StubWebhook {
	Identificador: string;
	cnpj: string;
	Descricao: string;
	URL: string;
	Status: 'A' | 'I';
	TipoAutenticacao: number;
	TokenAutenticacao: string;
	TentativasReenvioAut: number;
	IntervaloTentativas: number;
	Uso: Array<{ Modulo: number; TipoNotificacao: number[] }>;
}

export interface StubRequest {
	method: string;
	path: string;
	authorization?: string;
	body?: unknown;
	status: number;
}

interface IssuedToken {
	cnpj: string;
	expiresAt: number;
}

/** Accepted clock difference between the JWT's issuer and the stub, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 5;
const JWT_MAX_LIFETIME_SECONDS = 120;
const MODULES = new Set([1, 2, 4, 5, 11, 12, 14]);
const NOTIFICATION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16]);
const WEBHOOK_PATHS = new Set(['/webhooks.aspx', '/awebhooks.aspx']);

const answer = (Codigo: number, Descricao: string, extra: Record<string, unknown> = {}) => [
	{ Codigo, Descricao, ...extra },
];

export class InvoiCyApiStub {
	readonly requests: StubRequest[] = [];
	private readonly webhooksById = new Map<string, StubWebhook>();
	private readonly accessTokens = new Map<string, IssuedToken>();
	private readonly refreshTokens = new Map<string, IssuedToken & { used: boolean }>();
	private readonly failures: Array<{
		method: string;
		status: number;
		Codigo: number;
		Descricao: string;
	}> = [];
	private server: Server | undefined;
	/** The stub's clock, in Unix seconds; tests move it to expire tokens. */
	now: () => number = () => Math.floor(Date.now() / 1000);
	accessTokenLifetimeSeconds = 3600;

	constructor(private readonly companies: StubCompany[]) {}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((error: Error) => {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer(999, `stub error: ${error.message}`)));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	get baseUrl(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	/** Every webhook the stub holds. */
	webhooks(): StubWebhook[] {
		return [...this.webhooksById.values()].map((webhook) => structuredClone(webhook));
	}

	/** The next `times` requests with this method are refused with an InvoiCy error. */
	failNext(method: string, status: number, Codigo: number, Descricao: string, times = 1): void {
		for (let i = 0; i < times; i++) {
			this.failures.push({ method: method.toUpperCase(), status, Codigo, Descricao });
		}
	}

	/** Forgets the refusals failNext() queued and that have not happened yet. */
	clearFailures(): void {
		this.failures.length = 0;
	}

	/** Makes every access token issued so far expired (InvoiCy's 1 h passed). */
	expireAccessTokens(): void {
		for (const token of this.accessTokens.values()) token.expiresAt = this.now() - 1;
	}

	/** Forgets a webhook, as if someone removed it in InvoiCy's panel. */
	removeWebhook(id: string): void {
		this.webhooksById.delete(id);
	}

	/** Changes a stored webhook behind n8n's back. */
	editWebhook(id: string, change: Partial<StubWebhook>): void {
		Object.assign(this.webhooksById.get(id)!, change);
	}

	/**
	 * Posts a notification to a registered webhook as InvoiCy does: with TipoAutenticacao 2
	 * `Authorization: Bearer <TokenAutenticacao>`, with 1 `Basic <TokenAutenticacao>`.
	 * `token` replaces the registered one (to test a wrong token).
	 */
	async deliver(
		id: string,
		payload: unknown,
		{ token }: { token?: string } = {},
	): Promise<{ status: number; body: string }> {
		const webhook = this.webhooksById.get(id);
		if (!webhook) throw new Error(`no webhook ${id}`);
		if (webhook.Status !== 'A') throw new Error(`webhook ${id} is inactive`);
		const secret = token ?? webhook.TokenAutenticacao;
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (webhook.TipoAutenticacao === 2) headers.authorization = `Bearer ${secret}`;
		if (webhook.TipoAutenticacao === 1) headers.authorization = `Basic ${secret}`;
		const response = await fetch(webhook.URL, {
			method: 'POST',
			headers,
			body: JSON.stringify(payload),
		});
		return { status: response.status, body: await response.text() };
	}

	// ------------------------------------------------------------------ HTTP

	private async handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://stub');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		let body: unknown;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			body = text;
		}
		const send = (status: number, data: unknown) => {
			this.requests.push({
				method: req.method ?? '',
				path: url.pathname + url.search,
				authorization: req.headers.authorization,
				body,
				status,
			});
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(data));
		};

		const failure = this.failures.findIndex((f) => f.method === req.method);
		if (failure >= 0 && url.pathname !== '/oauth2/invoicy/auth') {
			const [f] = this.failures.splice(failure, 1);
			return send(f.status, answer(f.Codigo, f.Descricao));
		}

		if (url.pathname === '/oauth2/invoicy/auth' && req.method === 'POST') {
			const [status, data] = this.auth(body);
			return send(status, data);
		}
		if (!WEBHOOK_PATHS.has(url.pathname.toLowerCase())) {
			return send(404, answer(404, 'Recurso não encontrado'));
		}
		const cnpj = this.authenticated(req.headers.authorization);
		if (!cnpj) return send(400, answer(400, 'Invalid token'));
		const [status, data] = this.webhookCall(req.method ?? '', cnpj, url, body);
		return send(status, data);
	}

	private auth(body: unknown): [number, unknown] {
		const request = (body ?? {}) as { token?: unknown; refreshToken?: unknown };
		if (typeof request.refreshToken === 'string') {
			const issued = this.refreshTokens.get(request.refreshToken);
			if (!issued || issued.used || issued.expiresAt <= this.now()) {
				return [400, answer(400, 'Invalid token')];
			}
			issued.used = true; // single use
			return [200, this.issue(issued.cnpj)];
		}
		if (typeof request.token !== 'string') return [400, answer(400, 'Token não informado')];
		const verdict = this.verifyJwt(request.token);
		if ('error' in verdict) return [400, answer(400, verdict.error)];
		return [200, this.issue(verdict.cnpj)];
	}

	/** Checks a company JWT as documented; the CNPJ it belongs to, or why it is refused. */
	private verifyJwt(jwt: string): { cnpj: string } | { error: string } {
		const parts = jwt.split('.');
		if (parts.length !== 3) return { error: 'Invalid token' };
		const [headerPart, payloadPart, signaturePart] = parts;
		let header: Record<string, unknown>;
		let payload: Record<string, unknown>;
		try {
			header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
			payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
		} catch {
			return { error: 'Invalid token' };
		}
		if (header.alg !== 'HS256') return { error: 'Invalid token: algorithm must be HS256' };
		const company = this.companies.find((c) => c.cnpj === payload.sub);
		if (!company) return { error: `CNPJ ${String(payload.sub)} não encontrado` };
		if (payload.partnerKey !== company.partnerKey) return { error: 'Chave de parceiro inválida' };
		const expected = createHmac('sha256', company.accessKey)
			.update(`${headerPart}.${payloadPart}`)
			.digest();
		const received = Buffer.from(signaturePart, 'base64url');
		if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
			return { error: 'Invalid token: signature' };
		}
		const { iat, exp } = payload;
		const now = this.now();
		if (typeof iat !== 'number' || typeof exp !== 'number') return { error: 'Invalid token' };
		if (exp - iat > JWT_MAX_LIFETIME_SECONDS) return { error: 'Invalid token: exp - iat > 120' };
		if (iat > now + CLOCK_TOLERANCE_SECONDS) return { error: 'Invalid token: iat in the future' };
		if (exp <= now) return { error: 'Invalid token: expired' };
		return { cnpj: company.cnpj };
	}

	private issue(cnpj: string) {
		const now = this.now();
		const accessToken = randomBytes(24).toString('base64url');
		const refreshToken = randomBytes(24).toString('base64url');
		const accessTokenExpireAt = now + this.accessTokenLifetimeSeconds;
		const refreshTokenExpireAt = now + 24 * 3600;
		this.accessTokens.set(accessToken, { cnpj, expiresAt: accessTokenExpireAt });
		this.refreshTokens.set(refreshToken, { cnpj, expiresAt: refreshTokenExpireAt, used: false });
		return { accessToken, accessTokenExpireAt, refreshToken, refreshTokenExpireAt };
	}

	/** `Authorization: <accessToken>`, exactly; the company's CNPJ or undefined. */
	private authenticated(header: string | undefined): string | undefined {
		const issued = header ? this.accessTokens.get(header) : undefined;
		return issued && issued.expiresAt > this.now() ? issued.cnpj : undefined;
	}

	private webhookCall(method: string, cnpj: string, url: URL, body: unknown): [number, unknown] {
		if (method === 'GET') {
			const id = url.searchParams.get('Identificador') ?? '';
			const webhook = this.webhooksById.get(id);
			if (!webhook || webhook.cnpj !== cnpj) return [404, answer(404, 'Webhook não encontrado')];
			// The stored token is not echoed back.
			const { TokenAutenticacao: _token, cnpj: _owner, ...shown } = webhook;
			return [200, answer(100, 'Consulta realizada com sucesso', { Webhooks: [shown] })];
		}
		if (method !== 'POST' && method !== 'PUT') return [405, answer(405, 'Método não suportado')];
		const parsed = parseWebhook(body);
		if ('error' in parsed) return [400, answer(400, parsed.error)];
		if (method === 'POST') {
			const webhook: StubWebhook = { Identificador: randomUUID(), cnpj, ...parsed.webhook };
			this.webhooksById.set(webhook.Identificador, webhook);
			return [
				200,
				answer(100, 'Webhook cadastrado com sucesso.', { Identificador: webhook.Identificador }),
			];
		}
		const id = (body as { Identificador?: unknown }).Identificador;
		const existing = typeof id === 'string' ? this.webhooksById.get(id) : undefined;
		if (!existing || existing.cnpj !== cnpj) return [404, answer(404, 'Webhook não encontrado')];
		Object.assign(existing, parsed.webhook);
		return [200, answer(100, 'Webhook alterado com sucesso.', { Identificador: id })];
	}
}

/** Validates a webhook body as InvoiCy documents it (numbers may come as strings). */
function parseWebhook(
	body: unknown,
): { webhook: Omit<StubWebhook, 'Identificador' | 'cnpj'> } | { error: string } {
	if (typeof body !== 'object' || body === null) return { error: 'Corpo inválido' };
	const b = body as Record<string, unknown>;
	const url = typeof b.URL === 'string' ? b.URL : '';
	let parsedUrl: URL;
	try {
		parsedUrl = new URL(url);
	} catch {
		return { error: 'URL inválida' };
	}
	// InvoiCy requires https; plain http is accepted here for loopback test servers only.
	const loopback = parsedUrl.hostname === '127.0.0.1' || parsedUrl.hostname === 'localhost';
	if (parsedUrl.protocol !== 'https:' && !(loopback && parsedUrl.protocol === 'http:')) {
		return { error: 'A URL deve ser segura (https)' };
	}
	if (b.Status !== 'A' && b.Status !== 'I') return { error: 'Status deve ser A ou I' };
	// The layout (webhook/Layout WebHook.xlsx): Descricao V(40), TentativasReenvioAut 0 to 3 and
	// IntervaloTentativas 5, 10, 15 or 60, all required.
	const description = typeof b.Descricao === 'string' ? b.Descricao : '';
	if (description === '' || [...description].length > 40)
		return { error: 'Descricao deve ter de 1 a 40 caracteres' };
	const resends = Number(b.TentativasReenvioAut);
	if (b.TentativasReenvioAut === undefined || ![0, 1, 2, 3].includes(resends))
		return { error: 'TentativasReenvioAut inválido' };
	const interval = Number(b.IntervaloTentativas);
	if (b.IntervaloTentativas === undefined || ![5, 10, 15, 60].includes(interval))
		return { error: 'IntervaloTentativas inválido' };
	const authType = Number(b.TipoAutenticacao);
	if (![0, 1, 2].includes(authType)) return { error: 'TipoAutenticacao inválido' };
	const token = typeof b.TokenAutenticacao === 'string' ? b.TokenAutenticacao : '';
	if (authType !== 0 && token === '') return { error: 'TokenAutenticacao não informado' };
	if (!Array.isArray(b.Uso) || b.Uso.length === 0) return { error: 'Uso não informado' };
	const uses: StubWebhook['Uso'] = [];
	for (const use of b.Uso as Array<Record<string, unknown>>) {
		const module = Number(use?.Modulo);
		const types = Array.isArray(use?.TipoNotificacao) ? use.TipoNotificacao.map(Number) : [];
		if (!MODULES.has(module)) return { error: `Modulo ${String(use?.Modulo)} inválido` };
		if (types.length === 0 || types.some((t: number) => !NOTIFICATION_TYPES.has(t))) {
			return { error: 'TipoNotificacao inválido' };
		}
		uses.push({ Modulo: module, TipoNotificacao: types });
	}
	return {
		webhook: {
			Descricao: description,
			URL: url,
			Status: b.Status,
			TipoAutenticacao: authType,
			TokenAutenticacao: token,
			TentativasReenvioAut: resends,
			IntervaloTentativas: interval,
			Uso: uses,
		},
	};
}
