/**
 * `npm run bench`: every table in one run (in-process; end to end on n8n's defaults, the legacy
 * engine and lazy acquisition; queue mode), printed and written into BENCHMARKS.md's results
 * section with the machine they ran on. Not part of the test suite (timings are not assertions).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { ENGINES, runEndToEndBench, tableOf } from './e2e';
import { runQueueBench } from './queue';
import { newestOfLine, nodeOf } from '../test/helpers/n8nVersions';

const ROOT = join(__dirname, '..');
const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';
/** The n8n of the end-to-end benchmarks: the newest tested 2.x, on its Node. */
const N8N = newestOfLine('2');
const NODE = nodeOf(N8N);

/** Writes the results section of BENCHMARKS.md (after every table, so a stopped run keeps what it measured). */
function writeResults(sections: string[], finished: boolean) {
	const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version} (in-process), n8n ${N8N} on Node ${NODE} (end-to-end); ${new Date().toISOString().slice(0, 10)}`;
	const results = [
		BEGIN,
		`Measured on: ${machine}, by one \`npm run bench\`${finished ? '' : ' (still running: the tables below are those it has finished)'}.`,
		'',
		...sections,
		END,
	].join('\n');
	const file = join(ROOT, 'BENCHMARKS.md');
	const current = readFileSync(file, 'utf8');
	const start = current.indexOf(BEGIN);
	const stop = current.indexOf(END);
	if (start < 0 || stop < 0) throw new Error('BENCHMARKS.md has no results markers');
	writeFileSync(file, `${current.slice(0, start)}${results}${current.slice(stop + END.length)}`);
}

async function main() {
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	const sections: string[] = [];
	process.stderr.write('In-process benchmark ...\n');
	const inProcess = execFileSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', join(__dirname, 'inprocess.ts')],
		{ cwd: ROOT, encoding: 'utf8' },
	).trim();
	process.stdout.write(`${inProcess}\n\n`);
	sections.push('### In-process cost of `webhook()`', '', inProcess, '');
	sections.push(
		`### End to end in n8n ${N8N} (rounds of about ${process.env.BENCH_ROUND_SECONDS ?? 10} s, at least ${process.env.BENCH_DELIVERIES ?? 100} deliveries, at concurrency 20, until every execution finished)`,
		'',
	);
	writeResults(sections, false);
	for (const engine of ENGINES) {
		process.stderr.write(`End-to-end benchmark in n8n ${N8N}, ${engine.label} ...\n`);
		const table = tableOf(await runEndToEndBench(engine.env));
		process.stdout.write(`${engine.label}\n${table}\n\n`);
		sections.push(`#### ${engine.label}`, '', table, '');
		writeResults(sections, false);
	}

	process.stderr.write(`Queue-mode scaling in n8n ${N8N} (1 + 1 against 2 + 2) ...\n`);
	const queue = await runQueueBench();
	process.stdout.write(`Queue mode\n${queue}\n\n`);
	sections.push(
		`### Queue mode: webhook processors + workers, n8n ${N8N} (concurrency 50, median of the runs)`,
		'',
		queue,
		'',
	);
	writeResults(sections, true);
	process.stderr.write('BENCHMARKS.md updated.\n');
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
