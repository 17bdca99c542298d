import { sendSampleCommand, triggerPanel } from '../shared/triggerPanel';

/** iLink has no API to register a webhook: its support does it, given the URL and the key. */
export const ILINK_SUPPORT = 'iLink support (apoio@ilink.pt)';

const SEND_SAMPLE_NOTE =
	"The command serves the sample PDF and XML from this machine: to see them under <b>Binary</b>, first turn on <b>Options › Allow Private Addresses</b> (iLink's real links are public). Add <code>--status accepted</code> (or <code>rejected</code>, <code>sent</code>, <code>tosend</code>) for another state, <code>--id &lt;id&gt;</code> to resend the same document, <code>--help</code> for more.";

/** The editor's texts of one iLink trigger: its set-up notice and its trigger panel. */
function iLinkTexts(trigger: {
	/** iLink's name for the webhook, as support knows it. */
	webhook: string;
	/** The `send-sample` arguments that try this trigger. */
	sendSample: string;
	/** What the items carry, in a sentence. */
	items: string;
}) {
	const { webhook, sendSample, items } = trigger;
	return {
		setupNotice: `Send the <b>Production URL</b> above and the access key of your credential to ${ILINK_SUPPORT}, asking for the "${webhook}" webhook of your entity, then publish this workflow. ${items} To try it without iLink, click "Execute step" and run ${sendSampleCommand(sendSample)}.`,
		triggerPanel: triggerPanel({
			sender: 'iLink',
			sendSample,
			sendSampleNote: SEND_SAMPLE_NOTE,
			productionSetUp: `Email ${ILINK_SUPPORT} the <b>Production URL</b> and your access key, asking for the "${webhook}" webhook of your entity.`,
		}),
	};
}

export const ILINK_TEXTS = {
	newDocument: iLinkTexts({
		webhook: 'new document',
		sendSample: 'ilink-new-document --url <Test URL> --key <access key>',
		items: 'Each document arrives as one item, with its PDF and XML as binary files.',
	}),
	statusChange: iLinkTexts({
		webhook: 'document status',
		sendSample: 'ilink-status-change --status rejected --url <Test URL> --key <access key>',
		items: 'A rejection carries its reasons in the item\'s "reasons" field.',
	}),
};
