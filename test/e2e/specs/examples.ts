/**
 * The example workflows in examples/ load into a real n8n as they are and their triggers receive
 * deliveries sent with the package's own send-sample CLI. The e-mails they send go to a local
 * SMTP stub, so the whole path (trigger, item fields, binary PDF, Send Email attachment) is real;
 * only Google Sheets, which needs a Google account, is disabled, and the triggers may download
 * from this machine (Allow Private Addresses), where send-sample serves iLink's attachments.
 * A spec of test/e2e/suite.test.ts, on n8n 2.x only: the examples use Send Email's
 * fileAttachments, which n8n 1.x lacks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { printedNumber, runCli, SAMPLE_PDF } from '../../cli/harness';
import { type N8nInstance, REPO_DIR, type WorkflowSpec } from '../harness';
import type { E2eSpec } from '../sharedN8n';
import { attachmentsOf, startSmtpStub, type SmtpStub } from '../smtpStub';
const ACCESS_KEY = 'examples-ilink-key-0123456789';
const TOKEN = 'examples-invoicy-token-0123456789';

function loadExamples(): WorkflowSpec[] {
	const dir = join(REPO_DIR, 'examples');
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(dir, file), 'utf8'));
			for (const node of workflow.nodes) {
				if (node.type === 'n8n-nodes-base.googleSheets') node.disabled = true;
				// send-sample serves iLink's attachments from this machine.
				if (node.type.startsWith('n8n-nodes-ilink-invoicy.'))
					node.parameters.options = { ...node.parameters.options, allowPrivateAddresses: true };
			}
			return workflow;
		});
}

const TRIGGERS = {
	newDocument: '/webhook/a1e7c0de-0001-4b6e-9c3a-1111aaaa0001/ilink-new-document',
	status: '/webhook/a1e7c0de-0002-4b6e-9c3a-2222bbbb0002/ilink-document-status',
	nfse: '/webhook/a1e7c0de-0003-4b6e-9c3a-3333cccc0003/invoicy-nfse',
};

export const examplesSpec: E2eSpec = {
	title: 'the example workflows',
	lines: ['2'],
	define(suite) {
		let n8n: N8nInstance;
		let smtp: SmtpStub;

		suite.needs(async () => {
			smtp = await startSmtpStub();
			return {
				webhookPaths: Object.values(TRIGGERS),
				credentials: [
					{
						id: 'ilinkAccessKey1',
						name: 'iLink Access Key',
						type: 'iLinkAccessKeyApi',
						data: { accessKey: ACCESS_KEY },
					},
					{
						id: 'invoicyBearer01',
						name: 'InvoiCy Bearer Token',
						type: 'invoiCyBearerTokenApi',
						data: { token: TOKEN },
					},
					{
						id: 'smtpAccount0001',
						name: 'SMTP account',
						type: 'smtp',
						data: {
							host: '127.0.0.1',
							port: smtp.port,
							secure: false,
							disableStartTls: true,
							user: '',
							password: '',
						},
					},
				],
				workflows: loadExamples(),
				close: () => smtp.close(),
			};
		});
		beforeAll(() => (n8n = suite.n8n));

		async function send(args: string[]) {
			const result = await runCli(['send-sample', ...args], 60_000);
			expect(result.stderr).not.toContain(ACCESS_KEY);
			return result;
		}

		it('iLink new document → e-mail with the PDF attached', async () => {
			const mark = n8n.mark();
			const mails = smtp.messages.length;
			const result = await send([
				'ilink-new-document',
				'--url',
				n8n.url(TRIGGERS.newDocument),
				'--key',
				ACCESS_KEY,
			]);
			expect(result.code).toBe(0);
			const [execution] = await n8n.waitForExecutions(1, { after: mark });
			expect(execution.status).toBe('success');
			expect(smtp.messages).toHaveLength(mails + 1);
			const mail = smtp.messages[mails];
			expect(mail).toContain(`Subject: New FT ${printedNumber(result)} from Fornecedor Exemplo`);
			const [pdf] = attachmentsOf(mail).filter((a) => a.fileName.endsWith('.pdf'));
			expect(pdf.content.equals(SAMPLE_PDF)).toBe(true);
		});

		it('iLink status: an accepted document starts nothing, a rejected one sends the alert with its reasons', async () => {
			const mark = n8n.mark();
			const mails = smtp.messages.length;
			const url = n8n.url(TRIGGERS.status);
			expect(
				(
					await send([
						'ilink-status-change',
						'--status',
						'accepted',
						'--url',
						url,
						'--key',
						ACCESS_KEY,
					])
				).code,
			).toBe(0);
			expect(await n8n.executionsAfterSettle(mark)).toHaveLength(0);
			expect(smtp.messages).toHaveLength(mails);

			expect(
				(
					await send([
						'ilink-status-change',
						'--status',
						'rejected',
						'--url',
						url,
						'--key',
						ACCESS_KEY,
					])
				).code,
			).toBe(0);
			const [execution] = await n8n.waitForExecutions(1, { after: mark });
			expect(execution.status).toBe('success');
			expect(smtp.messages).toHaveLength(mails + 1);
			// the reason sent by send-sample, as the alert lists it (quoted-printable soft breaks removed)
			expect(smtp.messages[mails].replace(/=\r\n/g, '')).toContain('Inconformidade: deve existir');
		});

		it('InvoiCy authorized NFS-e → e-mail with the PDF (Google Sheets disabled)', async () => {
			const mark = n8n.mark();
			const mails = smtp.messages.length;
			const result = await send([
				'invoicy-nfse',
				'--status',
				'authorized',
				'--url',
				n8n.url(TRIGGERS.nfse),
				'--token',
				TOKEN,
			]);
			expect(result.code).toBe(0);
			const [execution] = await n8n.waitForExecutions(1, { after: mark });
			expect(execution.status).toBe('success');
			expect(smtp.messages).toHaveLength(mails + 1);
			const [pdf] = attachmentsOf(smtp.messages[mails]).filter((a) => a.fileName.endsWith('.pdf'));
			expect(pdf.content.equals(SAMPLE_PDF)).toBe(true);
		});
	},
};
