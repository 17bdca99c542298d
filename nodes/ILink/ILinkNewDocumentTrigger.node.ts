import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { iLinkAuthorization, iLinkCredentialTests } from './ILinkCredential';
import { ILINK } from './ILinkFacts';
import { parseILinkDelivery } from './ILinkMapping';
import { ILINK_TEXTS } from './ILinkTexts';
import { receiveDelivery, type TriggerDefinition } from '../shared/delivery';
import {
	deliveryWebhook,
	optionsCollection,
	registeredByHand,
	responseModeProperty,
} from '../shared/options';

const newDocument: TriggerDefinition = {
	facts: ILINK,
	event: 'document.received',
	expectedAuthorization: iLinkAuthorization,
	parse: (body) => parseILinkDelivery(body, 'document.received'),
};

export class ILinkNewDocumentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'iLink New Document Trigger',
		name: 'iLinkNewDocumentTrigger',
		icon: { light: 'file:../../icons/ilink.svg', dark: 'file:../../icons/ilink.dark.svg' },
		group: ['trigger'],
		// 1.1 works as 1, but n8n evaluates no expression per request for it (BENCHMARKS.md).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: 'New document received',
		description:
			'Starts the workflow when iLink forwards a new document (invoice, credit note ...) to your entity',
		defaults: { name: 'iLink New Document' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Document', 'Invalid'],
		credentials: [{ name: 'iLinkAccessKeyApi', required: true, testedBy: 'iLinkAccessKeyTest' }],
		webhooks: [deliveryWebhook('ilink-new-document')],
		triggerPanel: ILINK_TEXTS.newDocument.triggerPanel,
		properties: [
			{
				displayName: ILINK_TEXTS.newDocument.setupNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			responseModeProperty,
			optionsCollection(ILINK),
		],
	};

	/** The URL is given to iLink's support by hand. */
	webhookMethods = registeredByHand;

	methods = { credentialTest: iLinkCredentialTests };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, newDocument);
	}
}
