import {
	NodeConnectionTypes,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { invoiCyAuthorization, invoiCyCredentialTests } from './InvoiCyCredential';
import { INVOICY, INVOICY_NOTICES, INVOICY_STATUSES } from './InvoiCyFacts';
import { automaticRegistrationProperties } from './InvoiCyAutomaticProperties';
import { invoiCyWebhookMethods } from './InvoiCyRegistration';
import { subscribedTo } from './InvoiCySubscriptions';
import { parseInvoiCyDelivery } from './InvoiCyMapping';
import { INVOICY_TEXTS } from './InvoiCyTexts';
import { statusFilterProperty } from '../shared/facts';
import { receiveDelivery, type TriggerDefinition } from '../shared/delivery';
import { deliveryWebhook, optionsCollection, responseModeProperty } from '../shared/options';

const nfse: TriggerDefinition = {
	facts: INVOICY,
	event: 'nfse.status_changed',
	expectedAuthorization: invoiCyAuthorization,
	parse: parseInvoiCyDelivery,
	// InvoiCy's own returns are JSON lists of documents.
	parseList: parseInvoiCyDelivery,
	isWanted: (ctx, document) =>
		document.event
			? isNoticeWanted(ctx, document.event)
			: (ctx.getNodeParameter('statuses', []) as string[]).includes(
					document.fields.status as string,
				),
};

/** An account notification is emitted when the options ask for it or, in Automatic mode, the node subscribed to it. */
function isNoticeWanted(ctx: IWebhookFunctions, event: string): boolean {
	if ((ctx.getNodeParameter('options.accountNotifications', []) as string[]).includes(event))
		return true;
	const notice = INVOICY_NOTICES.find((candidate) => candidate.event === event);
	return notice !== undefined && subscribedTo(ctx, notice.notificationTypes);
}

/** InvoiCy's account notifications, emitted only when asked for. */
const accountNotificationsOption: INodeProperties = {
	displayName: 'Account Notifications',
	name: 'accountNotifications',
	type: 'multiOptions',
	options: INVOICY_NOTICES.map(({ name, event, description }) => ({
		name,
		value: event,
		description: `${description}; the item's event is "${event}"`,
	})),
	default: [],
	description:
		'InvoiCy notifications about the account (not a document) to emit as items, when the account subscribes to them (in Automatic mode, those chosen under Notifications are emitted anyway). Others are answered 200, logged, and start nothing.',
};

export class InvoiCyNfseTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'InvoiCy NFS-e Status Trigger',
		name: 'invoiCyNfseTrigger',
		icon: { light: 'file:../../icons/invoicy.svg', dark: 'file:../../icons/invoicy.dark.svg' },
		group: ['trigger'],
		// 1.1 works as 1, but n8n evaluates no expression per request for it (BENCHMARKS.md).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{"On " + $parameter["statuses"].join(", ")}}',
		description:
			'Starts the workflow when InvoiCy reports a new status of an NFS-e (authorized, rejected, cancelled ...), with its PDF and XML',
		defaults: { name: 'InvoiCy NFS-e Status' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['NFS-e', 'Invalid'],
		credentials: [
			{
				name: 'invoiCyBasicAuthApi',
				required: true,
				testedBy: 'invoiCyBasicAuthTest',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
			{
				name: 'invoiCyBearerTokenApi',
				required: true,
				testedBy: 'invoiCyBearerTokenTest',
				displayOptions: { show: { authentication: ['bearerToken'] } },
			},
			{
				name: 'invoiCyApi',
				required: true,
				displayOptions: { show: { authentication: ['automatic'] } },
			},
		],
		webhooks: [deliveryWebhook('invoicy-nfse')],
		triggerPanel: INVOICY_TEXTS.triggerPanel,
		properties: [
			{
				displayName: INVOICY_TEXTS.setupNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
				displayOptions: { hide: { authentication: ['automatic'] } },
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Automatic (Register Through the InvoiCy API)', value: 'automatic' },
					{ name: 'Basic Auth (TipoAutenticacao 1)', value: 'basicAuth' },
					{ name: 'Bearer Token (TipoAutenticacao 2)', value: 'bearerToken' },
					{ name: 'None (TipoAutenticacao 0)', value: 'none' },
				],
				default: 'bearerToken',
				description:
					'How InvoiCy proves that a delivery comes from it; must match TipoAutenticacao',
			},
			{
				displayName:
					'Without authentication anyone who knows this URL can start the workflow with a made-up document. Use Basic Auth or Bearer Token unless the URL is protected in another way.',
				name: 'noAuthWarning',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			statusFilterProperty(
				{
					displayName: 'Statuses',
					name: 'statuses',
					description:
						'Which statuses start the workflow. Other notifications are answered 200 and start nothing.',
				},
				INVOICY_STATUSES,
			),
			...automaticRegistrationProperties,
			responseModeProperty,
			optionsCollection(INVOICY, [accountNotificationsOption]),
		],
	};

	/** Automatic: registered through InvoiCy's API; otherwise by hand, nothing to do remotely. */
	webhookMethods = invoiCyWebhookMethods;

	methods = { credentialTest: invoiCyCredentialTests };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, nfse);
	}
}
