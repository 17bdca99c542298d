import { randomBytes } from 'node:crypto';

import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeProperties,
	type IWebhookFunctions,
} from 'n8n-workflow';

import {
	answerObject,
	CREDENTIAL_TYPE,
	invoiCyError,
	invoiCyRequest,
	webhooksPath,
	type ApiResponse,
} from './InvoiCyApi';
import { INVOICY_NOTICES, INVOICY_STATUS_UPDATES } from './InvoiCyFacts';

/**
 * The "Automatic" mode of the InvoiCy trigger: on publish the node registers its Production URL
 * with InvoiCy's REST API (TipoAutenticacao 2, a token it generates), and deactivates it on
 * unpublish. The Identificador and the token live in the node's static data, beside the
 * duplicate memory (`recentDeliveries`).
 */

export const AUTOMATIC = 'automatic';

/** Static data keys (node scope). */
const WEBHOOK_ID_KEY = 'invoiCyWebhookId';
const WEBHOOK_TOKEN_KEY = 'invoiCyWebhookToken';

/** What can be subscribed to through the API: status updates and the notices that name their module. */
const SUBSCRIBABLE = [
	{
		name: 'Status Updates',
		type: INVOICY_STATUS_UPDATES.notificationType,
		module: INVOICY_STATUS_UPDATES.module,
		description: 'an NFS-e changed status',
	},
	...INVOICY_NOTICES.flatMap(({ name, description, notificationTypes, module, event }) =>
		module === undefined
			? []
			: notificationTypes.map((type) => ({
					name,
					type,
					module,
					description: `${description}; emitted with event "${event}"`,
				})),
	),
];
const STATUS_UPDATES = String(INVOICY_STATUS_UPDATES.notificationType);

const BEARER_TOKEN = 2;

// ---------------------------------------------------------------- node description parts

// The `authentication` option and the credential entry are literals in the node file: the
// n8n lint rules read the description's source.

export const automaticRegistrationProperties: INodeProperties[] = [
	{
		displayName:
			'Publishing this workflow registers its Production URL with InvoiCy (with a token the node generates); unpublishing deactivates it. The Test URL is not registered.',
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: [AUTOMATIC] } },
	},
	{
		displayName: 'Notifications',
		name: 'notificationTypes',
		type: 'multiOptions',
		options: SUBSCRIBABLE.map(({ name, type, description }) => ({
			name,
			value: String(type),
			description: `TipoNotificacao ${type}: ${description}`,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		default: [STATUS_UPDATES],
		description:
			'What InvoiCy sends to this workflow. Account notifications subscribed here are emitted as items.',
		displayOptions: { show: { authentication: [AUTOMATIC] } },
	},
];

// ---------------------------------------------------------------- the webhook as InvoiCy holds it

/** What the node keeps of its registration. */
export interface StoredRegistration {
	webhookId?: string;
	token?: string;
}

export function readRegistration(ctx: IHookFunctions | IWebhookFunctions): StoredRegistration {
	const staticData = ctx.getWorkflowStaticData('node');
	const webhookId = staticData[WEBHOOK_ID_KEY];
	const token = staticData[WEBHOOK_TOKEN_KEY];
	return {
		webhookId: typeof webhookId === 'string' && webhookId ? webhookId : undefined,
		token: typeof token === 'string' && token ? token : undefined,
	};
}

/** The `Uso` list for the chosen notification types. */
export function webhookUses(notificationTypes: string[]): IDataObject[] {
	const chosen = new Set(notificationTypes.length ? notificationTypes : [STATUS_UPDATES]);
	const byModule = new Map<number, number[]>();
	for (const { type, module } of SUBSCRIBABLE) {
		if (chosen.has(String(type))) byModule.set(module, [...(byModule.get(module) ?? []), type]);
	}
	return [...byModule].map(([Modulo, TipoNotificacao]) => ({ Modulo, TipoNotificacao }));
}

/** Whether the user subscribed to this notice through the API (Automatic mode). */
export function subscribedTo(
	ctx: IWebhookFunctions,
	notificationTypes: readonly number[],
): boolean {
	if (ctx.getNodeParameter('authentication', '') !== AUTOMATIC) return false;
	const chosen = ctx.getNodeParameter('notificationTypes', [STATUS_UPDATES]) as string[];
	return notificationTypes.some((type) => chosen.includes(String(type)));
}

/**
 * The first record in an answer, at most five levels deep, that `matches`: InvoiCy does not
 * document where its answers put the webhook (the create answer in particular).
 */
function findRecord(
	body: unknown,
	matches: (record: IDataObject) => boolean,
	depth = 0,
): IDataObject | undefined {
	if (depth > 5 || typeof body !== 'object' || body === null) return undefined;
	if (!Array.isArray(body) && matches(body as IDataObject)) return body as IDataObject;
	for (const value of Object.values(body)) {
		const found = findRecord(value, matches, depth + 1);
		if (found) return found;
	}
	return undefined;
}

/** A record's Identificador, in any letter case, when it is a non-empty string. */
function identificadorOf(record: IDataObject): string | undefined {
	for (const [key, value] of Object.entries(record)) {
		if (key.toLowerCase() === 'identificador' && typeof value === 'string' && value.trim())
			return value.trim();
	}
	return undefined;
}

/** Identificador wherever the answer has it. */
export function findIdentificador(body: unknown): string | undefined {
	const record = findRecord(body, (candidate) => identificadorOf(candidate) !== undefined);
	return record && identificadorOf(record);
}

/** The webhook record with this Identificador in an answer, wherever it is nested. */
export function findWebhook(body: unknown, webhookId: string): IDataObject | undefined {
	return findRecord(body, (candidate) => field(candidate, 'Identificador') === webhookId);
}

function field(record: IDataObject, name: string): unknown {
	return Object.entries(record).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

async function resourcePath(ctx: IHookFunctions): Promise<string> {
	return webhooksPath(await ctx.getCredentials(CREDENTIAL_TYPE));
}

/** Reads the webhook back; undefined when InvoiCy no longer has it. */
async function readWebhook(
	ctx: IHookFunctions,
	webhookId: string,
): Promise<IDataObject | undefined> {
	const response = await invoiCyRequest(ctx, 'GET', await resourcePath(ctx), {
		qs: { Identificador: webhookId },
	});
	if (response.statusCode === 404) return undefined;
	if (response.statusCode >= 300) throw invoiCyError(ctx, 'read the webhook', response);
	return findWebhook(response.body, webhookId);
}

function productionUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'the node has no webhook URL');
	return url;
}

function webhookBody(ctx: IHookFunctions, token: string, status: 'A' | 'I'): IDataObject {
	const workflow = ctx.getWorkflow();
	return {
		// The field's length limit is not documented: keep the description short.
		Descricao: `n8n: ${workflow.name ?? workflow.id} / ${ctx.getNode().name}`.slice(0, 100),
		URL: productionUrl(ctx),
		Status: status,
		TipoAutenticacao: BEARER_TOKEN,
		TokenAutenticacao: token,
		Uso: webhookUses(ctx.getNodeParameter('notificationTypes', [STATUS_UPDATES]) as string[]),
	};
}

/** Test webhooks (the editor's "Listen for test event") are not registered with InvoiCy. */
function isAutomaticProduction(ctx: IHookFunctions): boolean {
	return (
		ctx.getNodeParameter('authentication', '') === AUTOMATIC && ctx.getActivationMode() !== 'manual'
	);
}

function isSuccess(response: ApiResponse): boolean {
	if (response.statusCode >= 300) return false;
	const answer = answerObject(response.body);
	const code = answer ? field(answer, 'Codigo') : undefined;
	// InvoiCy reports success as Codigo 100 (and 1xx for variants); other codes are refusals.
	return code === undefined || String(code).startsWith('1');
}

// ---------------------------------------------------------------- webhookMethods.default

/** False when InvoiCy no longer has the webhook, or it is inactive or points elsewhere. */
async function checkExists(this: IHookFunctions): Promise<boolean> {
	if (!isAutomaticProduction(this)) return true;
	const { webhookId, token } = readRegistration(this);
	if (!webhookId || !token) return false;
	const webhook = await readWebhook(this, webhookId);
	if (!webhook) return false;
	const sentToken = field(webhook, 'TokenAutenticacao');
	return (
		field(webhook, 'Status') === 'A' &&
		field(webhook, 'URL') === productionUrl(this) &&
		(sentToken === undefined || sentToken === token)
	);
}

/**
 * Registers the webhook, or brings the node's own one back (PUT with Status A) when InvoiCy still
 * has it: n8n 2.x calls create on every republish, and a second webhook would mean every
 * notification arrives twice.
 */
async function create(this: IHookFunctions): Promise<boolean> {
	if (!isAutomaticProduction(this)) return true;
	const staticData = this.getWorkflowStaticData('node');
	const stored = readRegistration(this);
	const token = stored.token ?? randomBytes(32).toString('base64url');
	const body = webhookBody(this, token, 'A');
	const path = await resourcePath(this);

	if (stored.webhookId && (await readWebhook(this, stored.webhookId))) {
		const response = await invoiCyRequest(this, 'PUT', path, {
			body: { Identificador: stored.webhookId, ...body },
		});
		if (!isSuccess(response)) throw invoiCyError(this, 'reactivate the webhook', response);
		staticData[WEBHOOK_TOKEN_KEY] = token;
		return true;
	}

	const response = await invoiCyRequest(this, 'POST', path, { body });
	const webhookId = findIdentificador(response.body);
	if (!isSuccess(response) || !webhookId) {
		throw invoiCyError(this, 'register the webhook', response);
	}
	staticData[WEBHOOK_ID_KEY] = webhookId;
	staticData[WEBHOOK_TOKEN_KEY] = token;
	return true;
}

/**
 * Deactivates the webhook (PUT Status I, InvoiCy's documented removal). The Identificador is
 * kept, so the next publish reactivates the same webhook instead of adding one.
 */
async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	if (!isAutomaticProduction(this)) return true;
	const { webhookId, token } = readRegistration(this);
	if (!webhookId || !token) return true;
	const response = await invoiCyRequest(this, 'PUT', await resourcePath(this), {
		body: { Identificador: webhookId, ...webhookBody(this, token, 'I') },
	});
	if (response.statusCode === 404) return true;
	if (!isSuccess(response)) {
		// Unpublishing goes on: InvoiCy's deliveries to an unpublished URL get n8n's 404.
		this.logger.warn(
			`InvoiCy trigger "${this.getNode().name}": ${invoiCyError(this, 'deactivate the webhook', response).message}`,
			{ workflowId: this.getWorkflow().id },
		);
		return false;
	}
	return true;
}

export const invoiCyWebhookMethods = {
	default: { checkExists, create, delete: deleteWebhook },
};
