/**
 * Writes the peer workflows (Webhook with header auth → Code) as importable n8n workflow files,
 * bench/peer/<sender>.workflow.json, from the same source the benchmark imports them from
 * (bench/peer/<sender>-code.js). In n8n: Workflows → Import from File, then select a Header Auth
 * credential in the Webhook node. Run: npm run bench:peer-workflows
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { peerWorkflow } from '../e2e';

for (const sender of ['ilink', 'invoicy'] as const) {
	const { id: _id, ...workflow } = peerWorkflow(sender);
	const file = join(__dirname, `${sender}.workflow.json`);
	writeFileSync(file, `${JSON.stringify({ ...workflow, pinData: {} }, null, '\t')}\n`);
	process.stdout.write(`${file}\n`);
}
