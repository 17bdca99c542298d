/**
 * The example sender's trigger: what a sender's folder adds to the shared pipeline, and nothing
 * else. The sender posts `{ "event": { "id", "status", "number", "amount", "customer" } }` with
 * `Authorization: Bearer <secret>`.
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { credentialTest, readCredentialFields } from '../../nodes/shared/credentials';
import { receiveDelivery, type TriggerDefinition } from '../../nodes/shared/delivery';
import type { SenderFacts } from '../../nodes/shared/facts';
import {
	deliveryWebhook,
	optionsCollection,
	registeredByHand,
	responseModeProperty,
} from '../../nodes/shared/options';
import { triggerPanel } from '../../nodes/shared/triggerPanel';
import type { DocumentFields, ParseResult } from '../../nodes/shared/types';
import { amount, isObject, text } from '../../nodes/shared/values';

const EXAMPLE: SenderFacts = {
	sender: 'Example',
	source: 'example',
	addressPresets: [],
	linksFiles: false,
	retryWindowDays: 1,
};

/** One event per delivery; its id is all that is required. */
function parseExampleDelivery(body: IDataObject): ParseResult {
	const event = isObject(body.event) ? body.event : {};
	const id = text(event.id);
	if (id === null)
		return { documents: [], invalid: [[{ path: 'event.id', message: 'The event has no id' }]] };
	const status = text(event.status);
	const customer = isObject(event.customer) ? event.customer : {};
	const fields: DocumentFields = {
		documentId: id,
		documentNumber: text(event.number),
		documentType: null,
		status,
		statusCode: status,
		statusDescription: null,
		issuer: { taxId: null, name: null },
		recipient: { taxId: text(customer.taxId), name: text(customer.name) },
		issueDate: null,
		totalAmount: amount(event.amount),
		currency: 'EUR',
	};
	return {
		documents: [{ fields, files: [], keys: { key: `example:${id}:${status}` }, warnings: [] }],
		invalid: [],
	};
}

const exampleEvent: TriggerDefinition = {
	facts: EXAMPLE,
	event: 'example.event',
	expectedAuthorization: async (ctx) => {
		const { secret } = await readCredentialFields(ctx, 'exampleSecretApi', 'Example Secret', [
			'secret',
		]);
		return { scheme: 'Bearer', token: secret };
	},
	parse: parseExampleDelivery,
};

export class ExampleEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Example Event Trigger',
		name: 'exampleEventTrigger',
		icon: 'fa:bolt',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow when the example sender posts an event',
		defaults: { name: 'Example Event' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Event', 'Invalid'],
		credentials: [{ name: 'exampleSecretApi', required: true, testedBy: 'exampleSecretTest' }],
		webhooks: [deliveryWebhook('example-event')],
		triggerPanel: triggerPanel({
			sender: 'Example',
			sendSample: 'example-event --url <Test URL> --secret <secret>',
			sendSampleNote: 'Add <code>--status paid</code> for a paid event.',
			productionSetUp: 'Give the example sender the <b>Production URL</b> and your secret.',
		}),
		properties: [responseModeProperty, optionsCollection(EXAMPLE)],
	};

	webhookMethods = registeredByHand;

	methods = { credentialTest: { exampleSecretTest: credentialTest(['secret']) } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, exampleEvent);
	}
}
