import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { iLinkAuthorization } from './ILinkCredential';
import { ILINK, ILINK_STATES } from './ILinkFacts';
import { parseILinkDelivery } from './ILinkMapping';
import { credentialTests } from '../shared/credentials';
import { statusFilterProperty } from '../shared/facts';
import { receiveDelivery, type TriggerDefinition } from '../shared/delivery';
import { TRIGGER_PANELS } from '../shared/triggerPanel';
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
		triggerPanel: TRIGGER_PANELS.iLinkStatusChange,
		properties: [
			{
				displayName:
					'Send the <b>Production URL</b> above and the access key of your credential to iLink support (apoio@ilink.pt), asking for the "document status" webhook of your entity, then publish this workflow. A rejection carries its reasons in the item\'s "reasons" field. To try it without iLink, click "Execute step" and run <code>npx n8n-nodes-ilink-invoicy send-sample ilink-status-change --status rejected --url &lt;Test URL&gt; --key &lt;access key&gt;</code>.',
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

	methods = { credentialTest: credentialTests };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, statusChange);
	}
}
