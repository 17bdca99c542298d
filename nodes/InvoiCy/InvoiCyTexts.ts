import { sendSampleCommand, triggerPanel } from '../shared/triggerPanel';

/** The editor's texts of the InvoiCy trigger: its set-up notice (manual modes) and its trigger panel. */
export const INVOICY_TEXTS = {
	setupNotice: `In InvoiCy's NFS-e settings ("Configurações para a emissão de NFS-e") or its webhook registration, set <b>URL</b> to the Production URL above, <b>TipoAutenticacao</b> to 0 (None), 1 (Basic) or 2 (Bearer) as chosen below, and <b>TokenAutenticacao</b> as the credential explains; then publish this workflow. To try it without InvoiCy, click "Execute step" and run ${sendSampleCommand('invoicy-nfse --url <Test URL> --token <token>')}.`,
	triggerPanel: triggerPanel({
		sender: 'InvoiCy',
		sendSample: 'invoicy-nfse --status authorized --url <Test URL> --token <token>',
		sendSampleNote:
			'For Basic Auth use <code>--user &lt;user&gt; --password &lt;password&gt;</code> instead of <code>--token</code>, for None neither; <code>--status</code> can also be <code>rejected</code>, <code>cancelled</code> or <code>pending</code>; <code>--help</code> for more.',
		productionSetUp:
			"In InvoiCy's NFS-e settings set <b>URL</b> to the <b>Production URL</b>, and <b>TipoAutenticacao</b> and <b>TokenAutenticacao</b> to match this node's Authentication.",
	}),
};
