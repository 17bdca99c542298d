import type { TriggerPanelDefinition } from 'n8n-workflow';

/**
 * The editor's trigger panel (left of the node's parameters). Without one, n8n says "Pull in
 * events from <node>" and "go to <service> and make an event happen", which nobody can do with
 * iLink or InvoiCy: they only deliver to a URL registered through their support or settings. So
 * the panel says how to send a sample delivery with this package's CLI, and how real deliveries
 * arrive. n8n 1.x and 2.x both label the button of such a trigger "Execute step" and render
 * activationHint and executionsHelp as sanitized HTML; 1.x says "activate" where 2.x says "publish".
 */
interface PanelTexts {
	/** Who sends the deliveries: "iLink", "InvoiCy". */
	sender: string;
	/** The `send-sample` arguments for this trigger, as typed in a terminal. */
	sendSample: string;
	/** Other ways to call send-sample for this trigger, as HTML. */
	sendSampleNote: string;
	/** How the sender is given the Production URL, as HTML: a sentence. */
	productionSetUp: string;
}

const SEND_SAMPLE = 'npx n8n-nodes-ilink-invoicy send-sample';

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function triggerPanel(texts: PanelTexts): TriggerPanelDefinition {
	const { sender, sendSample, sendSampleNote, productionSetUp } = texts;
	const command = `<code>${escapeHtml(`${SEND_SAMPLE} ${sendSample}`)}</code>`;
	const howToTest = `Click <b>Execute step</b>, copy the <b>Test URL</b> under <b>Webhook URLs</b>, then run in a terminal: ${command}. The delivery shows up here as this node's output.`;
	const whileBuilding = `<b>While building your workflow</b>: ${sender} cannot send an event on demand, so send a sample delivery as ${sender} would. ${howToTest} ${sendSampleNote}<br /><br />`;
	const published = `every delivery ${sender} sends to the <b>Production URL</b> runs the workflow; those executions show up under <b>Executions</b>, not here.`;
	return {
		header: `Test with a sample ${sender} delivery`,
		activationHint: {
			inactive: howToTest,
			active: `${howToTest} The workflow is published, so ${published}`,
		},
		executionsHelp: {
			inactive: `${whileBuilding}<b>For real deliveries</b>: ${productionSetUp} Then publish the workflow (n8n 1.x: activate it): from then on ${published}`,
			active: `${whileBuilding}<b>Your workflow is published</b>, so ${published} For real deliveries: ${productionSetUp}`,
		},
	};
}

const ILINK_NOTE =
	'Add <code>--status accepted</code> (or <code>rejected</code>, <code>sent</code>, <code>tosend</code>) for another state, <code>--id &lt;id&gt;</code> to resend the same document, <code>--help</code> for more.';

const ILINK_SET_UP = (webhook: string) =>
	`Email iLink support (apoio@ilink.pt) the <b>Production URL</b> and your access key, asking for the "${webhook}" webhook of your entity.`;

/** One panel per trigger; each node description points at its own. */
export const TRIGGER_PANELS = {
	iLinkNewDocument: triggerPanel({
		sender: 'iLink',
		sendSample: 'ilink-new-document --url <Test URL> --key <access key>',
		sendSampleNote: ILINK_NOTE,
		productionSetUp: ILINK_SET_UP('new document'),
	}),
	iLinkStatusChange: triggerPanel({
		sender: 'iLink',
		sendSample: 'ilink-status-change --status rejected --url <Test URL> --key <access key>',
		sendSampleNote: ILINK_NOTE,
		productionSetUp: ILINK_SET_UP('document status'),
	}),
	invoiCyNfse: triggerPanel({
		sender: 'InvoiCy',
		sendSample: 'invoicy-nfse --status authorized --url <Test URL> --token <token>',
		sendSampleNote:
			'For Basic Auth use <code>--user &lt;user&gt; --password &lt;password&gt;</code> instead of <code>--token</code>, for None neither; <code>--status</code> can also be <code>rejected</code>, <code>cancelled</code> or <code>pending</code>; <code>--help</code> for more.',
		productionSetUp:
			"In InvoiCy's NFS-e settings set <b>URL</b> to the <b>Production URL</b>, and <b>TipoAutenticacao</b> and <b>TokenAutenticacao</b> to match this node's Authentication.",
	}),
} satisfies Record<string, TriggerPanelDefinition>;
