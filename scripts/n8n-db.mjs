#!/usr/bin/env node
// Reads executions (or one binary file, or a workflow's static data) from an n8n database and
// prints them as JSON. The database is either a SQLite file (read with Node's built-in
// node:sqlite: run with Node >= 22.13, the harness uses the cached Node 24 binary) or a
// PostgreSQL URL (read with the `pg` client n8n itself ships, as in queue mode).
//
//   node --no-warnings scripts/n8n-db.mjs <database.sqlite | postgres://...> <n8n install dir> [afterId] [--no-data]
//   node --no-warnings scripts/n8n-db.mjs <database> <n8n install dir> --binary <fileId>       (PostgreSQL)
//   node --no-warnings scripts/n8n-db.mjs <database> <n8n install dir> --static-data <workflowId>
//
// --no-data skips execution_data (cheap polling while waiting for many executions).
//
// execution_data.data is serialized with `flatted` (n8n's own copy is used, so the format always
// matches the n8n version that wrote it). Each row comes back with `data` already parsed.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
	const i = args.indexOf(name);
	return i < 0 ? undefined : args.splice(i, 2)[1];
};
const binaryFileId = flag('--binary');
const staticDataOf = flag('--static-data');
const withData = !args.includes('--no-data');
const [dbTarget, n8nDir, afterId = '0'] = args.filter((a) => a !== '--no-data');
const requireFromN8n = createRequire(join(n8nDir, 'node_modules', 'n8n', 'package.json'));
const isPostgres = /^postgres(ql)?:\/\//.test(dbTarget);

/** Runs one query with positional parameters; the SQL uses PostgreSQL's quoted column names. */
async function query(sql, params) {
	if (isPostgres) {
		const { Client } = requireFromN8n('pg');
		const client = new Client({ connectionString: dbTarget });
		await client.connect();
		try {
			return (await client.query(sql, params)).rows;
		} finally {
			await client.end();
		}
	}
	const { DatabaseSync } = await import('node:sqlite');
	const db = new DatabaseSync(dbTarget, { readOnly: true });
	db.exec('PRAGMA busy_timeout = 5000');
	try {
		return db.prepare(sql.replace(/\$\d+/g, '?')).all(...params);
	} finally {
		db.close();
	}
}

if (binaryFileId) {
	const [row] = await query('SELECT data FROM binary_data WHERE "fileId" = $1', [binaryFileId]);
	process.stdout.write(JSON.stringify(row ? Buffer.from(row.data).toString('base64') : null));
} else if (staticDataOf) {
	const [row] = await query('SELECT "staticData" FROM workflow_entity WHERE id = $1', [
		staticDataOf,
	]);
	const value = row?.staticData ?? null;
	process.stdout.write(typeof value === 'string' ? value : JSON.stringify(value));
} else {
	// flatted is a dependency of n8n-workflow; resolve it the way n8n does.
	let flatted;
	try {
		flatted = requireFromN8n('flatted');
	} catch {
		flatted = createRequire(requireFromN8n.resolve('n8n-workflow'))('flatted');
	}
	const rows = await query(
		withData
			? `SELECT e.id, e."workflowId", e.status, e.mode, e.finished, e."startedAt", e."stoppedAt", d.data
			     FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
			    WHERE CAST(e.id AS INTEGER) > $1 ORDER BY CAST(e.id AS INTEGER)`
			: `SELECT e.id, e."workflowId", e.status, e.mode, e.finished, e."startedAt", e."stoppedAt",
			          EXISTS (SELECT 1 FROM execution_data d WHERE d."executionId" = e.id) AS "hasData"
			     FROM execution_entity e
			    WHERE CAST(e.id AS INTEGER) > $1 ORDER BY CAST(e.id AS INTEGER)`,
		[Number(afterId)],
	);
	const out = rows.map(({ data, hasData, ...r }) => ({
		...r,
		id: String(r.id),
		...(withData ? { data: data ? flatted.parse(data) : null } : { hasData: Boolean(hasData) }),
	}));
	process.stdout.write(JSON.stringify(out));
}
