import type { TriggerPanelDefinition } from 'n8n-workflow';

/**
 * The editor's trigger panel (left of the node's parameters). Without one, n8n says "Pull in
 * events from <node>" and "go to <service> and make an event happen", which nobody can do with
 * an e-invoicing sender: they only deliver to a URL registered through their support or settings. So
 * the panel says how to send a sample delivery with this package's CLI, and how real deliveries
 * arrive. n8n 1.x and 2.x both label the button of such a trigger "Execute step" and render
 * activationHint and executionsHelp as sanitized HTML; 1.x says "activate" where 2.x says "publish".
 * Each sender's folder builds the panels of its triggers with `triggerPanel`.
 */
export interface PanelTexts {
	/** Who sends the deliveries, by the name users know it by. */
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

/** A `send-sample` command line as HTML, for the panel and the nodes' set-up notices. */
export function sendSampleCommand(args: string): string {
	return `<code>${escapeHtml(`${SEND_SAMPLE} ${args}`)}</code>`;
}

export function triggerPanel(texts: PanelTexts): TriggerPanelDefinition {
	const { sender, sendSample, sendSampleNote, productionSetUp } = texts;
	const howToTest = `Click <b>Execute step</b>, copy the <b>Test URL</b> under <b>Webhook URLs</b>, then run in a terminal: ${sendSampleCommand(sendSample)}. The delivery shows up here as this node's output.`;
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
