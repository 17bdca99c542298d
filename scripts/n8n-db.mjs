#!/usr/bin/env node
// Reads executions from an n8n SQLite database and prints them as JSON.
// Run with Node >= 22.13 (the built-in node:sqlite, so no native module has to match the Node
// that runs the tests); the harness uses the cached Node 24 binary.
//
//   node --no-warnings scripts/n8n-db.mjs <database.sqlite> <n8n install dir> [afterId] [--no-data]
//
// --no-data skips execution_data (cheap polling while waiting for many executions).
//
// execution_data.data is serialized with `flatted` (n8n's own copy is used, so the format always
// matches the n8n version that wrote it). Each row comes back with `data` already parsed.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const args = process.argv.slice(2);
const withData = !args.includes('--no-data');
const [dbPath, n8nDir, afterId = '0'] = args.filter((a) => a !== '--no-data');
// flatted is a dependency of n8n-workflow; resolve it the way n8n does.
const requireFromN8n = createRequire(join(n8nDir, 'node_modules', 'n8n', 'package.json'));
let flatted;
try {
	flatted = requireFromN8n('flatted');
} catch {
	flatted = createRequire(requireFromN8n.resolve('n8n-workflow'))('flatted');
}

const db = new DatabaseSync(dbPath, { readOnly: true });
db.exec('PRAGMA busy_timeout = 5000');
const rows = db
	.prepare(
		withData
			? `SELECT e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt, d.data
			     FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
			    WHERE CAST(e.id AS INTEGER) > ? ORDER BY CAST(e.id AS INTEGER)`
			: `SELECT e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt,
			          EXISTS (SELECT 1 FROM execution_data d WHERE d.executionId = e.id) AS hasData
			     FROM execution_entity e
			    WHERE CAST(e.id AS INTEGER) > ? ORDER BY CAST(e.id AS INTEGER)`,
	)
	.all(Number(afterId));
db.close();
const out = rows.map(({ data, hasData, ...r }) => ({
	...r,
	id: String(r.id),
	...(withData ? { data: data ? flatted.parse(data) : null } : { hasData: Boolean(hasData) }),
}));
process.stdout.write(JSON.stringify(out));
