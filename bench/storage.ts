/**
 * What n8n stores per delivery against the size of the delivery: a 5 MB InvoiCy NFS-e (PDF and
 * XML inline as base64), received by the InvoiCy trigger followed by a No-Op, in a real n8n of
 * each supported line with its default binary data mode (2.x: files on disk, 1.x: base64 in the
 * execution data). Stored = the execution's data row plus the binary files kept outside the
 * database. Target: at most 1.1 times the payload, i.e. each file stored once.
 *
 * Run: npm run bench:storage (after npm run build).
 */
import { N8nInstance, packPackage, nodeOutputs } from '../test/e2e/harness';
import { invoiCyDeliveryWithPdf } from '../test/e2e/payloads';
import { CREDENTIALS, HOOKS, hookPath, SECRETS, WORKFLOWS } from '../test/e2e/workflows';
import { e2eVersions } from '../test/helpers/n8nVersions';

const VERSIONS = e2eVersions('E2E_N8N_VERSIONS');
const PDF_BYTES = 5 * 1024 * 1024;
const DELIVERIES = 3;
const TARGET = 1.1;

async function measure(version: string): Promise<string> {
	const hook = HOOKS.nfseBearer;
	const n8n = await N8nInstance.start({
		version,
		tarball: packPackage().tarball,
		credentials: CREDENTIALS,
		workflows: WORKFLOWS,
		webhookPaths: [hookPath(hook)],
	});
	try {
		const ratios: number[] = [];
		let payload = 0;
		for (let i = 0; i < DELIVERIES; i++) {
			const body = invoiCyDeliveryWithPdf(PDF_BYTES, 900_000 + i);
			payload = Buffer.byteLength(body);
			const mark = n8n.mark();
			const res = await fetch(n8n.url(hookPath(hook)), {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${SECRETS.invoicyToken}`,
				},
				body,
			});
			if (res.status !== 200) throw new Error(`delivery answered ${res.status}`);
			const [exec] = await n8n.waitForExecutions(1, { after: mark, timeoutMs: 60_000 });
			if (!nodeOutputs(exec, hook.node)[0][0].binary?.pdf) throw new Error('no pdf binary');
			const stored = n8n.storedBytes(exec);
			ratios.push((stored.data + stored.files) / payload);
			console.log(
				`n8n ${version}: payload ${payload} B, stored ${stored.data} B data + ${stored.files} B files`,
			);
		}
		const worst = Math.max(...ratios);
		return `| n8n ${version} | ${(payload / 1024 / 1024).toFixed(2)} MiB | ${ratios.map((r) => `${r.toFixed(3)}×`).join(', ')} | ${worst <= TARGET ? 'met' : '**not met**'} |`;
	} finally {
		await n8n.stop();
	}
}

async function main() {
	const rows: string[] = [];
	for (const version of VERSIONS) rows.push(await measure(version.trim()));
	console.log(
		[
			`| n8n | payload | stored / payload, ${DELIVERIES} deliveries | ≤ ${TARGET}× |`,
			'|---|---|---|---|',
			...rows,
		].join('\n'),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
