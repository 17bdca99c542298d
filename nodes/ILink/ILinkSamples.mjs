// iLink's sample deliveries for the send-sample command line and npm run dev: the code behind
// sender.json's cli section. Plain ES module (never loaded by n8n); the command line hands it its
// tools (this folder's samples/ as templates, the shared sample documents, localDateTime).
import { createHash, randomInt } from 'node:crypto';

const DAY = 24 * 60 * 60 * 1000;

/** iLink ids look like PHP uniqid('', true): 13 hex digits of time, then e.g. `7.36583702`. */
export function newId(now) {
	const seconds = Math.floor(now.getTime() / 1000)
		.toString(16)
		.padStart(8, '0');
	const micro = randomInt(0, 0x100000).toString(16).padStart(5, '0');
	return `${seconds}${micro}${randomInt(0, 10)}.${String(randomInt(0, 1e8)).padStart(8, '0')}`;
}

/**
 * The Authorization iLink sends, from the command line's flags: always its access key. `others`
 * are the other senders' auth flags; `fail` ends the command with a usage error.
 */
export function readAuth(flags, others, fail) {
	if (others.some(({ flag }) => flags[flag] !== undefined)) {
		fail(
			`iLink sends only "Authorization: Bearer <access key>": use --key, not ${others.map(({ flag }) => `--${flag}`).join('/')}`,
		);
	}
	if (!flags.key) fail("missing --key: the access key of the node's iLink Access Key credential");
	return { type: 'bearer', secret: flags.key };
}

/** iLink's attachments are links: the files the command serves for them while n8n answers. */
export function servedFiles({ readSample }) {
	return {
		pdf: {
			content: readSample('sample-invoice.pdf'),
			contentType: 'application/pdf',
			fileName: 'sample-invoice.pdf',
		},
		xml: {
			content: readSample('sample-invoice.xml'),
			contentType: 'application/xml',
			fileName: 'sample-invoice.xml',
		},
	};
}

/** The Authorization header iLink sends for a dev credential (npm run dev's curl lines). */
export function authorizationFor(credential) {
	return credential.type === 'iLinkAccessKeyApi'
		? `Bearer ${credential.data.accessKey}`
		: undefined;
}

/** `state_document` and `state_edi_document` per simplified state (spec 1.5). */
function iLinkStates(template) {
	const fromSample = (name) => {
		const sample = template(name);
		return { state_document: sample.state_document, state_edi_document: sample.state_edi_document };
	};
	return {
		tosend: {
			state_document: {
				id: '5c9cb878745b16.4225686',
				alias: 'tosend',
				description: 'Not sent to customer.',
			},
			state_edi_document: null,
			to_send_status: {
				code: 'no_connection',
				title: 'The customer has no connection to receive documents.',
			},
		},
		sent: fromSample('ilink-status-change-sent'),
		accepted: fromSample('ilink-status-change-accepted'),
		rejected: fromSample('ilink-status-change-rejected'),
	};
}

const ILINK_REJECTION_REASON = 'Inconformidade: deve existir número de compromisso.';

/**
 * An iLink document as the webhook sends it. `fileUrls` ({ pdf, xml }) replace the sample's
 * placeholder attachment URLs when the command serves the files itself.
 */
export function build({ kind, status, identity, now = new Date(), fileUrls }, tools) {
	const { template, readSample, localDateTime } = tools;
	const lisbon = (date) => localDateTime(date, 'Europe/Lisbon');
	const document = template(
		kind === 'ilink-new-document' ? 'ilink-new-document' : 'ilink-status-change-sent',
	);
	const year = now.getUTCFullYear();
	const number = `FT ${year}/${identity.sequence}`;
	const created = new Date(now.getTime() - 60 * 60 * 1000);

	document.id = identity.id;
	document.number = number;
	document.atcud = `JJ37MMMM-${identity.sequence}`;
	document.emission_date = lisbon(created).slice(0, 10);
	document.due_date = lisbon(new Date(created.getTime() + 30 * DAY)).slice(0, 10);
	document.created_at = lisbon(created);

	const state = iLinkStates(template)[status];
	document.state_document = state.state_document;
	if (state.state_edi_document) document.state_edi_document = state.state_edi_document;
	else delete document.state_edi_document;
	if (state.to_send_status) document.to_send_status = state.to_send_status;
	document.reasons =
		status === 'rejected' ? [{ reason: ILINK_REJECTION_REASON, created_at: lisbon(now) }] : [];

	for (const attachment of document.attachments) {
		const kindOfFile = attachment.type === 'pdf' ? 'pdf' : 'xml';
		attachment.identifier = number;
		if (fileUrls?.[kindOfFile]) attachment.file = fileUrls[kindOfFile];
		const content = readSample(kindOfFile === 'pdf' ? 'sample-invoice.pdf' : 'sample-invoice.xml');
		attachment.hash = createHash('sha256').update(content).digest('hex');
	}
	return { payload: document, summary: { id: identity.id, number, status } };
}
