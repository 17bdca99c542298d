import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { iLinkAuthorization, iLinkCredentialTests } from './ILinkCredential';
import { ILINK, ILINK_STATES } from './ILinkFacts';
import { parseILinkDelivery } from './ILinkMapping';
import { ILINK_TEXTS } from './ILinkTexts';
import { statusFilterProperty } from '../shared/facts';
import { receiveDelivery, type TriggerDefinition } from '../shared/delivery';
import {
	deliveryWebhook,
	optionsCollection,
	registeredByHand,
	responseModeProperty,
} from '../shared/options';

const statusChange: TriggerDefinition = {
	facts: ILINK,
	event: 'document.status_changed',
	expectedAuthorization: iLinkAuthorization,
	parse: (body) => parseILinkDelivery(body, 'document.status_changed'),
	isWanted: (ctx, document) =>
		(ctx.getNodeParameter('states', []) as string[]).includes(document.fields.status as string),
};

export class ILinkStatusChangeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'iLink Document Status Trigger',
		name: 'iLinkStatusChangeTrigger',
		icon: { light: 'file:../../icons/ilink.svg', dark: 'file:../../icons/ilink.dark.svg' },
		group: ['trigger'],
		// 1.1 works as 1, but n8n evaluates no expression per request for it (BENCHMARKS.md).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{"On " + $parameter["states"].join(", ")}}',
		description:
			'Starts the workflow when a document your entity issued changes state in iLink (sent, accepted, rejected ...)',
		defaults: { name: 'iLink Document Status' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Status Change', 'Invalid'],
		credentials: [{ name: 'iLinkAccessKeyApi', required: true, testedBy: 'iLinkAccessKeyTest' }],
		webhooks: [deliveryWebhook('ilink-document-status')],
		triggerPanel: ILINK_TEXTS.statusChange.triggerPanel,
		properties: [
			{
				displayName: ILINK_TEXTS.statusChange.setupNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			statusFilterProperty(
				{
					displayName: 'States',
					name: 'states',
					description:
						'Which new states start the workflow. Labels are read in Portuguese or English ("Aceite", "Enviado" ...). Other state changes are answered 200 and start nothing.',
				},
				ILINK_STATES,
			),
			responseModeProperty,
			optionsCollection(ILINK),
		],
	};

	/** The URL is given to iLink's support by hand. */
	webhookMethods = registeredByHand;

	methods = { credentialTest: iLinkCredentialTests };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, statusChange);
	}
}
