import { createHmac } from 'node:crypto';

import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestHelper,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { isObject } from '../shared/values';

/**
 * InvoiCy's REST API (repository migrate-company/integracao-InvoiCy-BR, "Integração IA/REST/llms.txt"):
 * a JWT signed HS256 with the company's access key is exchanged at POST /oauth2/invoicy/auth for
 * an access token (1 h), sent as `Authorization: <accessToken>` (no scheme word). Webhooks live at
 * /aWebhooks.aspx (homologation) or /webhooks.aspx (production).
 */

export const CREDENTIAL_TYPE = 'invoiCyApi';

export const BASE_URLS = {
	homologation: 'https://apibrhomolog.invoicy.com.br',
	production: 'https://apibr.invoicy.com.br',
} as const;

/** The webhooks resource: homologation has its own path; production and custom use production's. */
export const WEBHOOK_PATHS = {
	homologation: '/aWebhooks.aspx',
	production: '/webhooks.aspx',
} as const;

/** The JWT may live at most 120 s (InvoiCy's rule). */
export const JWT_MAX_LIFETIME_SECONDS = 120;
/**
 * `iat` is set this far in the past, so that a server clock a few seconds behind ours does not
 * see a token issued in the future; `exp` stays within 120 s of `iat`.
 */
export const CLOCK_SKEW_SECONDS = 10;
/** A stored access token this close to its expiry is replaced before use. */
export const ACCESS_TOKEN_MARGIN_SECONDS = 60;

export interface CompanyClaims {
	cnpj: string;
	partnerKey: string;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The company JWT ("JWT de Empresa"): HS256 over `{ iat, exp, sub: CNPJ, partnerKey }`. */
export function companyJwt(
	{ cnpj, partnerKey }: CompanyClaims,
	accessKey: string,
	nowSeconds: number,
): string {
	const iat = nowSeconds - CLOCK_SKEW_SECONDS;
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64url(
		JSON.stringify({ iat, exp: iat + JWT_MAX_LIFETIME_SECONDS, sub: cnpj, partnerKey }),
	);
	const signature = createHmac('sha256', accessKey).update(`${header}.${payload}`).digest();
	return `${header}.${payload}.${base64url(signature)}`;
}

/** Only digits count in a CNPJ: "12.345.678/0001-95" and "12345678000195" are the same. */
export function normaliseCnpj(cnpj: string): string {
	return cnpj.replace(/\D/g, '');
}

/** The API's base URL for the credential's environment (a custom one for proxies and tests). */
export function apiBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'production');
	if (environment === 'custom') {
		const url = String(credentials.baseUrl ?? '').trim();
		if (!/^https?:\/\//i.test(url)) {
			throw new Error('The InvoiCy API credential has no valid Base URL (http:// or https://)');
		}
		return url.replace(/\/+$/, '');
	}
	return environment === 'homologation' ? BASE_URLS.homologation : BASE_URLS.production;
}

/** The webhooks resource of the credential's environment. */
export function webhooksPath(credentials: ICredentialDataDecryptedObject): string {
	return credentials.environment === 'homologation'
		? WEBHOOK_PATHS.homologation
		: WEBHOOK_PATHS.production;
}

/** The object of an InvoiCy answer: a bare object or the usual one-element array; else null. */
export function answerObject(body: unknown): IDataObject | null {
	const first: unknown = Array.isArray(body) ? body[0] : body;
	return isObject(first) ? first : null;
}

/** `Codigo`/`Descricao` of an InvoiCy answer. */
export function invoiCyMessage(body: unknown): string | undefined {
	const answer = answerObject(body);
	if (!answer) {
		return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : undefined;
	}
	const { Codigo, Descricao, message, error } = answer;
	if (Codigo !== undefined || Descricao !== undefined) {
		return [Codigo, Descricao].filter((part) => part !== undefined && part !== '').join(' ');
	}
	const text = message ?? error;
	return typeof text === 'string' ? text : undefined;
}

/**
 * The token exchange, as the credential's preAuthentication: returns the fields n8n stores in
 * the credential (the hidden, expirable `accessToken` and its expiry). The refresh token is not
 * kept: the access key can always sign a new JWT, and a single-use refresh token would race
 * between n8n processes that each hold their own copy of the credential.
 */
export async function exchangeToken(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	nowSeconds = Math.floor(Date.now() / 1000),
): Promise<IDataObject> {
	const fields = ['cnpj', 'partnerKey', 'accessKey'].map((name) =>
		String(credentials[name] ?? '').trim(),
	);
	const [cnpj, partnerKey, accessKey] = fields;
	if (fields.some((value) => value === '')) {
		throw new Error(
			'The InvoiCy API credential needs the CNPJ, the partner key and the access key',
		);
	}
	const jwt = companyJwt({ cnpj: normaliseCnpj(cnpj), partnerKey }, accessKey, nowSeconds);
	const response = (await this.helpers.httpRequest({
		method: 'POST',
		url: `${apiBaseUrl(credentials)}/oauth2/invoicy/auth`,
		body: { token: jwt },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	const body = answerObject(response.body) ?? {};
	const accessToken = body.accessToken;
	if (response.statusCode >= 300 || typeof accessToken !== 'string' || accessToken === '') {
		const said = invoiCyMessage(response.body) ?? 'no access token in the answer';
		throw new Error(`InvoiCy refused the token exchange (HTTP ${response.statusCode}): ${said}`);
	}
	const expireAt = Number(body.accessTokenExpireAt);
	return {
		accessToken,
		// Unknown expiry: assume InvoiCy's documented hour.
		accessTokenExpiresAt: Number.isFinite(expireAt) && expireAt > 0 ? expireAt : nowSeconds + 3600,
	};
}

/** True when InvoiCy says the access token is no longer good: 401, or its 400 "Invalid token". */
export function isTokenRejection(statusCode: number, body: unknown): boolean {
	if (statusCode === 401) return true;
	if (statusCode !== 400) return false;
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return /invalid[ _-]?token|token (inv[aá]lido|expirado)/i.test(text);
}

export interface ApiResponse {
	statusCode: number;
	body: unknown;
}

/**
 * One authenticated call through n8n's httpRequestWithAuthentication, so that n8n fetches and
 * stores the access token itself (the credential's preAuthentication). n8n renews it by itself
 * only after a 401 (2.x can be given other codes, 1.x cannot), but InvoiCy answers an expired
 * token with 400 "Invalid token". So a token past its stored expiry, or one InvoiCy refuses
 * (400 "Invalid token" or 401), is renewed here the n8n way:
 * the call is repeated with the credential's `accessToken` blanked, which makes n8n run the
 * preAuthentication and save the new token in the credential.
 */
export async function invoiCyRequest(
	ctx: IHookFunctions,
	method: IHttpRequestMethods,
	path: string,
	{ body, qs }: { body?: IDataObject; qs?: IDataObject } = {},
): Promise<ApiResponse> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const request: IHttpRequestOptions = {
		method,
		url: `${apiBaseUrl(credentials)}${path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(body ? { body } : {}),
		...(qs ? { qs } : {}),
	};
	const send = async (forceNewToken: boolean): Promise<ApiResponse> => {
		const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
		const additional =
			forceNewToken && credentialId
				? {
						credentialsDecrypted: {
							id: credentialId,
							name: ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.name ?? '',
							type: CREDENTIAL_TYPE,
							data: { ...credentials, accessToken: '' },
						},
					}
				: undefined;
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{ ...request },
			additional,
		)) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: response.body };
	};
	const expiresAt = Number(credentials.accessTokenExpiresAt);
	const nowSeconds = Math.floor(Date.now() / 1000);
	const storedTokenFresh =
		typeof credentials.accessToken === 'string' &&
		credentials.accessToken !== '' &&
		Number.isFinite(expiresAt) &&
		expiresAt - ACCESS_TOKEN_MARGIN_SECONDS > nowSeconds;
	let response = await send(!storedTokenFresh);
	if (isTokenRejection(response.statusCode, response.body)) {
		ctx.logger.info('InvoiCy rejected the stored access token; getting a new one', {
			nodeName: ctx.getNode().name,
		});
		response = await send(true);
	}
	return response;
}

/** A NodeOperationError that quotes InvoiCy's Codigo and Descricao. */
export function invoiCyError(
	ctx: IHookFunctions,
	action: string,
	response: ApiResponse,
): NodeOperationError {
	const said = invoiCyMessage(response.body) ?? 'no message';
	return new NodeOperationError(
		ctx.getNode(),
		`InvoiCy did not ${action} (HTTP ${response.statusCode}): ${said}`,
		{
			description: 'InvoiCy answered the request of the InvoiCy API credential with an error.',
		},
	);
}
