import type { INodeProperties, IWebhookDescription, IWebhookFunctions } from 'n8n-workflow';

import type { AddressPreset, SenderFacts } from './facts';

import { RESPONSE_FIELDS } from './webhookResponseFields';

/** The settings the shared delivery pipeline reads, with the defaults an unset option has. */
export interface TriggerOptions {
	responseMode: 'onReceived' | 'lastNode';
	ignoreDuplicates: boolean;
	invalidPayload: 'invalidOutput' | 'reject';
	maxBodySizeMiB: number;
	allowedIps: string;
	ipPresets: readonly string[];
	downloadAttachments: boolean;
	downloadTimeoutSeconds: number;
	allowPrivateAddresses: boolean;
	documentDetails: boolean;
}

/**
 * Reads the settings with one parameter look-up for the whole Options collection; an option that
 * is not set has its property's default (DEFAULTS below).
 */
export function readOptions(ctx: IWebhookFunctions): TriggerOptions {
	const options = ctx.getNodeParameter('options', {}) as Record<string, unknown>;
	const option = <T>(name: string) => (options[name] ?? DEFAULTS[name]) as T;
	return {
		responseMode: ctx.getNodeParameter(
			'responseMode',
			DEFAULTS.responseMode,
		) as TriggerOptions['responseMode'],
		ignoreDuplicates: option('ignoreDuplicates'),
		invalidPayload: option('invalidPayload'),
		maxBodySizeMiB: option('maxBodySize'),
		allowedIps: option('allowedIps'),
		ipPresets: option('ipPresets'),
		downloadAttachments: option('downloadAttachments'),
		downloadTimeoutSeconds: option('downloadTimeout'),
		allowPrivateAddresses: option('allowPrivateAddresses'),
		documentDetails: option('documentDetails'),
	};
}

/**
 * The POST webhook of every trigger. Where the URL is registered by hand (iLink's support,
 * InvoiCy's settings), the node's webhookMethods are `registeredByHand`; InvoiCy's Automatic
 * mode registers it through InvoiCy's API (InvoiCy/InvoiCyRegistration.ts). With "When Workflow
 * Finishes" n8n answers 200 with no body once the workflow succeeded and 500 if it failed;
 * otherwise n8n's default answer ("Workflow was started") follows an accepted delivery. On n8n
 * 2.40+ these fields resolve without the expression engine (see webhookResponseFields.ts).
 */
export function deliveryWebhook(path: string): IWebhookDescription {
	return {
		name: 'default',
		httpMethod: 'POST',
		...RESPONSE_FIELDS,
		path,
	};
}

/** webhookMethods of a URL the user gives the sender by hand: nothing to do remotely. */
export const registeredByHand = {
	default: {
		checkExists: async () => true,
		create: async () => true,
		delete: async () => true,
	},
};

/** "Respond": when the sender gets its 200. */
export const responseModeProperty: INodeProperties = {
	displayName: 'Respond',
	name: 'responseMode',
	type: 'options',
	options: [
		{
			name: 'Immediately',
			value: 'onReceived',
			description:
				'Answer 200 as soon as the delivery is accepted. Fast, as the senders ask; a repeated delivery is recognised and ignored.',
		},
		{
			name: 'When Workflow Finishes',
			value: 'lastNode',
			description:
				'Answer 200 only after the workflow succeeds; if it fails the sender gets an error and delivers again later',
		},
	],
	default: 'onReceived',
	description: 'When to tell the sender that the delivery arrived',
};

const duplicatesOption: INodeProperties = {
	displayName: 'Ignore Repeated Deliveries',
	name: 'ignoreDuplicates',
	type: 'boolean',
	default: true,
	description:
		'Whether a delivery already received (a sender retry) is answered 200 without starting the workflow again. Applies when Respond is Immediately; with When Workflow Finishes every retry runs, so no document is lost.',
};

const invalidPayloadOption: INodeProperties = {
	displayName: 'On Invalid Payload',
	name: 'invalidPayload',
	type: 'options',
	options: [
		{
			name: 'Send to Invalid Output',
			value: 'invalidOutput',
			description: 'Answer 200 and pass the payload with its errors to the second output',
		},
		{
			name: 'Reject With 422',
			value: 'reject',
			description: 'Answer 422 with the errors so that the sender knows and may retry',
		},
	],
	default: 'invalidOutput',
	description:
		'What to do with an authenticated JSON delivery that does not look like the documented payload',
};

const maxBodySizeOption: INodeProperties = {
	displayName: 'Max Body Size (MiB)',
	name: 'maxBodySize',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 10,
	description:
		'Larger deliveries are answered 413 and never start the workflow. n8n itself refuses bodies over N8N_PAYLOAD_SIZE_MAX (16 MiB by default).',
};

const allowedIpsOption: INodeProperties = {
	displayName: 'Allowed IPs',
	name: 'allowedIps',
	type: 'string',
	default: '',
	placeholder: 'e.g. 193.43.40.153, 10.0.0.0/8',
	description:
		'Comma-separated IP addresses or CIDR ranges allowed to call this webhook; others get 403. Empty allows any address. Behind a reverse proxy, set N8N_PROXY_HOPS so that n8n sees the real address.',
};

const downloadOptions: INodeProperties[] = [
	{
		displayName: 'Download Attachments',
		name: 'downloadAttachments',
		type: 'boolean',
		default: true,
		description:
			'Whether to download the PDF and XML that the sender links to (when it does not send them inline) into the binary properties "pdf" and "xml". A failed download keeps the link and a note; the delivery still goes through.',
	},
	{
		displayName: 'Download Timeout (Seconds)',
		name: 'downloadTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How long to wait for each attachment before giving up on it',
	},
	{
		displayName: 'Allow Private Addresses',
		name: 'allowPrivateAddresses',
		type: 'boolean',
		default: false,
		description:
			'Whether to download attachment links that point at loopback, link-local (169.254.169.254, cloud metadata) or private addresses, or at local host names such as localhost. Off, such a link is not fetched: its files entry keeps the URL and says why.',
	},
];

/** Document Details: what is inside the document's XML, as item fields (nodes/shared/details). */
const documentDetailsOption: INodeProperties = {
	displayName: 'Document Details',
	name: 'documentDetails',
	type: 'boolean',
	default: false,
	description:
		'Whether to read the document\'s XML (UBL invoice or credit note, NFS-e) into the item field "details": invoice lines, taxes, totals, the parties\' addresses, payment and references. Needs the XML, inline or downloaded. XML that cannot be read gives null and a warning; the delivery still goes through.',
};

/** The sender's published addresses, allowed with one click. */
function ipPresetsOption(presets: AddressPreset[]): INodeProperties {
	return {
		displayName: 'Allowed Sender Networks',
		name: 'ipPresets',
		type: 'multiOptions',
		options: presets.map((preset) => ({
			name: `${preset.label} (${preset.addresses.join(', ')})`,
			value: preset.value,
		})),
		default: [],
		description:
			'Allow the published addresses of the sender; combined with Allowed IPs. Others get 403.',
	};
}

/** Each setting's default, as its property gives it to the editor (n8n's lint wants it written there). */
const DEFAULTS: Record<string, unknown> = Object.fromEntries(
	[
		responseModeProperty,
		duplicatesOption,
		invalidPayloadOption,
		maxBodySizeOption,
		allowedIpsOption,
		ipPresetsOption([]),
		...downloadOptions,
		documentDetailsOption,
	].map((property) => [property.name, property.default]),
);

/**
 * The "Options" collection, with the entries the sender's facts call for (its published
 * addresses, downloads of linked files) and any the node adds.
 */
export function optionsCollection(
	facts: SenderFacts,
	extra: INodeProperties[] = [],
): INodeProperties {
	const presets = facts.addressPresets.length ? [ipPresetsOption(facts.addressPresets)] : [];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			allowedIpsOption,
			...presets,
			...(facts.linksFiles ? downloadOptions : []),
			documentDetailsOption,
			duplicatesOption,
			maxBodySizeOption,
			invalidPayloadOption,
			...extra,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
