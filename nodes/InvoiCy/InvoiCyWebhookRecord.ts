import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * The registered webhook as the node keeps it (its Identificador and token, in the node's static
 * data beside the duplicate memory) and as InvoiCy's answers hold it.
 */

/** Static data keys (node scope). */
const WEBHOOK_ID_KEY = 'invoiCyWebhookId';
const WEBHOOK_TOKEN_KEY = 'invoiCyWebhookToken';

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

/** Keeps the token, and the Identificador when one is given, in the node's static data. */
export function storeRegistration(staticData: IDataObject, registration: StoredRegistration) {
	if (registration.webhookId) staticData[WEBHOOK_ID_KEY] = registration.webhookId;
	staticData[WEBHOOK_TOKEN_KEY] = registration.token;
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

/** A record's field, in any letter case. */
export function field(record: IDataObject, name: string): unknown {
	return Object.entries(record).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}
