import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	ILINK_IP_PRESET_OPTIONS,
	ILINK_IP_PRESETS,
	parseILinkDelivery,
} from './ILinkMapping';
import { iLinkAuthorization } from './ILinkCredential';
import { iLinkStatusChangeSchema } from './ILinkSchema';
import { credentialTests } from '../shared/credentials';
import { receiveDelivery, type TriggerDefinition } from '../shared/delivery';
import { deliveryWebhook, optionsCollection, responseModeProperty } from '../shared/options';

/** The simplified EDI states iLink documents; any other alias counts as "other". */
const KNOWN_STATES = ['tosend', 'sent', 'accepted', 'rejected'];

const statusChange: TriggerDefinition = {
	sender: 'iLink',
	source: 'ilink',
	event: 'document.status_changed',
	expectedAuthorization: iLinkAuthorization,
	parse: (body) => parseILinkDelivery(body, iLinkStatusChangeSchema, 'document.status_changed'),
	isWanted: (ctx, document) => {
		const wanted = ctx.getNodeParameter('states', []) as string[];
		const status = document.fields.status ?? '';
		return wanted.includes(KNOWN_STATES.includes(status) ? status : 'other');
	},
	ipPresets: ILINK_IP_PRESETS,
	downloadsAttachments: true,
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
		properties: [
			{
				displayName:
					'Send the <b>Production URL</b> above and the access key of your credential to iLink support (apoio@ilink.pt), asking for the "document status" webhook of your entity, then publish this workflow. A rejection carries its reasons in the item\'s "reasons" field. To try it without iLink, click "Listen for test event" and run <code>npx n8n-nodes-ilink-invoicy send-sample ilink-status-change --status rejected --url &lt;Test URL&gt; --key &lt;access key&gt;</code>.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: [
					{
						name: 'Accepted',
						value: 'accepted',
						description: 'The customer accepted the document (final)',
					},
					{
						name: 'Other',
						value: 'other',
						description: 'Any state iLink adds that is not listed here',
					},
					{
						name: 'Rejected',
						value: 'rejected',
						description: 'The customer rejected the document; see "reasons"',
					},
					{
						name: 'Sent',
						value: 'sent',
						description: 'Delivered to the customer, awaiting acceptance',
					},
					{
						name: 'To Send',
						value: 'tosend',
						description: 'Not sent yet (configuration or connection missing)',
					},
				],
				default: ['tosend', 'sent', 'accepted', 'rejected', 'other'],
				description:
					'Which new states start the workflow. Other state changes are answered 200 and start nothing.',
			},
			responseModeProperty,
			optionsCollection({ ipPresets: ILINK_IP_PRESET_OPTIONS, downloads: true }),
		],
	};

	/** The URL is registered by hand with the sender: nothing to do remotely (see deliveryWebhook). */
	webhookMethods = {
		default: {
			checkExists: async () => true,
			create: async () => true,
			delete: async () => true,
		},
	};

	methods = { credentialTest: credentialTests };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, statusChange);
	}
}
