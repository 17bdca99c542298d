import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { iLinkAuthorization } from './ILinkCredential';
import { ILINK } from './ILinkFacts';
import { parseILinkDelivery } from './ILinkMapping';
import { credentialTests } from '../shared/credentials';
import { TRIGGER_PANELS } from '../shared/triggerPanel';
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
		triggerPanel: TRIGGER_PANELS.iLinkNewDocument,
		properties: [
			{
				displayName:
					'Send the <b>Production URL</b> above and the access key of your credential to iLink support (apoio@ilink.pt), asking for the "new document" webhook of your entity, then publish this workflow. Each document arrives as one item, with its PDF and XML as binary files. To try it without iLink, click "Execute step" and run <code>npx n8n-nodes-ilink-invoicy send-sample ilink-new-document --url &lt;Test URL&gt; --key &lt;access key&gt;</code>.',
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

	methods = { credentialTest: credentialTests };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, newDocument);
	}
}
