import { randomBytes } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import {
	answerObject,
	CREDENTIAL_TYPE,
	invoiCyError,
	invoiCyRequest,
	webhooksPath,
	type ApiResponse,
} from './InvoiCyApi';
import { WEBHOOK_LAYOUT } from './InvoiCyFacts';
import { AUTOMATIC, STATUS_UPDATES, webhookUses } from './InvoiCySubscriptions';
import {
	field,
	findIdentificador,
	findWebhook,
	readRegistration,
	storeRegistration,
} from './InvoiCyWebhookRecord';

/**
 * The "Automatic" mode of the InvoiCy trigger: on publish the node registers its Production URL
 * with InvoiCy's REST API (TipoAutenticacao 2, a token it generates), and deactivates it on
 * unpublish (the node's webhookMethods). What it subscribes to: InvoiCySubscriptions.ts; its
 * parameters: InvoiCyAutomaticProperties.ts; what it keeps and reads back: InvoiCyWebhookRecord.ts.
 */

const BEARER_TOKEN = 2;

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

/**
 * "n8n: <workflow> / <node>" within the layout's 40 characters: the longer of the two names gives
 * way first, each cut short with "…", so both stay recognisable in InvoiCy's panel.
 */
export function registrationTitle(workflowName: string, nodeName: string): string {
	const room = WEBHOOK_LAYOUT.descriptionMaxLength - 'n8n:  / '.length;
	const [workflow, node] = [[...workflowName.trim()], [...nodeName.trim()]];
	let [workflowLength, nodeLength] = [workflow.length, node.length];
	while (workflowLength + nodeLength > room) {
		if (workflowLength >= nodeLength) workflowLength--;
		else nodeLength--;
	}
	const cut = (name: string[], length: number) =>
		name.length <= length ? name.join('') : `${name.slice(0, length - 1).join('')}…`;
	return `n8n: ${cut(workflow, workflowLength)} / ${cut(node, nodeLength)}`;
}

function webhookBody(ctx: IHookFunctions, token: string, status: 'A' | 'I'): IDataObject {
	const workflow = ctx.getWorkflow();
	return {
		Descricao: registrationTitle(workflow.name ?? String(workflow.id), ctx.getNode().name),
		URL: productionUrl(ctx),
		Status: status,
		TipoAutenticacao: BEARER_TOKEN,
		TokenAutenticacao: token,
		// Our no-loss promise rests on the sender's retries: as many as the layout allows.
		TentativasReenvioAut: WEBHOOK_LAYOUT.maxResends,
		IntervaloTentativas: ctx.getNodeParameter('resendInterval', 60) as number,
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
		storeRegistration(staticData, { token });
		return true;
	}

	const response = await invoiCyRequest(this, 'POST', path, { body });
	const webhookId = findIdentificador(response.body);
	if (!isSuccess(response) || !webhookId) {
		throw invoiCyError(this, 'register the webhook', response);
	}
	storeRegistration(staticData, { webhookId, token });
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
