/**
 * Where n8n's time goes for a delivery: a CPU profile (`node --cpu-prof`) of the newest tested
 * n8n 2.x's main process while it serves N deliveries to one side of the end-to-end benchmark,
 * then the top frames by self time and by inclusive time, and the packages the self time falls in.
 *
 * Rounds as in bench/e2e.ts (BENCH_MIN_ROUNDS, BENCH_MAX_ROUNDS), but of a fixed BENCH_DELIVERIES
 * each unless BENCH_ROUND_SECONDS is set, so that two sides' profiles cover the same deliveries.
 *
 *   npm run bench:profile                       # ours (iLink), n8n's defaults
 *   BENCH_PROFILE_SIDE=peer npm run bench:profile
 *   BENCH_ENGINE=LAZY BENCH_PROFILE_SIDE=ours npm run bench:profile
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ENGINES, PAYLOADS, runEndToEndBench, type Side } from './e2e';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const shortUrl = (url: string) => {
	const inModules = url.lastIndexOf('node_modules/');
	return inModules >= 0 ? url.slice(inModules + 'node_modules/'.length) : url;
};
const packageOf = (url: string) => {
	if (!url) return '(native / V8)';
	const rest = shortUrl(url);
	if (rest === url) return url.startsWith('node:') ? 'node: core' : url;
	const parts = rest.split('/');
	return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};
const frameKey = (node: ProfileNode) =>
	`${node.callFrame.functionName || '(anonymous)'}  ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

/** Self and inclusive milliseconds per frame, and self milliseconds per package. */
export function summariseProfile(profile: CpuProfile, top = 15): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	const packages = new Map<string, number>();
	const stackHas = (id: number, functionName: string) => {
		for (let node = byId.get(id); node; node = byId.get(parent.get(node.id)!))
			if (node.callFrame.functionName === functionName) return true;
		return false;
	};
	// Leave n8n's start-up out: from the first sample that serves a webhook call on.
	const first = Math.max(
		0,
		profile.samples.findIndex((id) => stackHas(id, 'executeWebhook')),
	);
	let total = 0;
	profile.samples.forEach((id, index) => {
		if (index < first) return;
		const ms = (profile.timeDeltas[index] ?? 0) / 1000;
		const leaf = byId.get(id)!;
		total += ms;
		self.set(frameKey(leaf), (self.get(frameKey(leaf)) ?? 0) + ms);
		if (leaf.callFrame.functionName !== '(idle)')
			packages.set(
				packageOf(leaf.callFrame.url),
				(packages.get(packageOf(leaf.callFrame.url)) ?? 0) + ms,
			);
		const seen = new Set<string>();
		for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id)!)) {
			const key = frameKey(node);
			if (seen.has(key)) continue;
			seen.add(key);
			inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
		}
	});
	const busy =
		total -
		(self.get(
			frameKey({ callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } } as ProfileNode),
		) ?? 0);
	const rows = (map: Map<string, number>, n: number, always = '') =>
		[...map.entries()]
			.filter(([key]) => !key.startsWith('(idle)') && !key.startsWith('(root)'))
			.sort((a, b) => b[1] - a[1])
			.filter(([key], index) => index < n || key === always)
			.map(
				([key, ms]) =>
					`| ${key.replace(/\|/g, '\\|')} | ${ms.toFixed(0)} ms | ${((ms / busy) * 100).toFixed(1)} % |`,
			);
	return [
		`Profiled ${(total / 1000).toFixed(1)} s from the first webhook call on, of which ${(busy / 1000).toFixed(1)} s not idle.`,
		'',
		'Top frames by self time:',
		'',
		'| frame | self | of busy |',
		'|---|---|---|',
		...rows(self, top),
		'',
		'Top frames by inclusive time:',
		'',
		'| frame | inclusive | of busy |',
		'|---|---|---|',
		...rows(inclusive, top),
		'',
		'Self time by package:',
		'',
		'| package | self | of busy |',
		'|---|---|---|',
		...rows(packages, 10, 'n8n-nodes-ilink-invoicy'),
	].join('\n');
}

async function main() {
	execFileSync('npm', ['run', 'build'], { cwd: join(__dirname, '..'), stdio: 'ignore' });
	const side = (process.env.BENCH_PROFILE_SIDE ?? 'ours') as Side;
	const engine =
		ENGINES.find((e) => e.label.includes(process.env.BENCH_ENGINE ?? '')) ?? ENGINES[0];
	const payload = PAYLOADS.find((p) => p.label.includes(process.env.BENCH_PAYLOAD ?? 'iLink'))!;
	const dir = mkdtempSync(join(tmpdir(), 'n8n-cpu-prof-'));
	process.env.BENCH_NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${dir}`;
	process.env.BENCH_ROUND_SECONDS ??= '0';
	await runEndToEndBench(engine.env, [payload], [side]);
	// n8n writes the profile when it exits (stop() sends SIGTERM); the largest file is its main
	// process, the others are its task runner and the CLI commands that imported the workflows.
	const [largest] = readdirSync(dir)
		.map((name) => join(dir, name))
		.sort((a, b) => statSync(b).size - statSync(a).size);
	if (!largest) throw new Error(`no CPU profile written in ${dir}`);
	process.stdout.write(
		`${payload.label}, side ${side}, ${engine.label} (${largest})\n\n${summariseProfile(JSON.parse(readFileSync(largest, 'utf8')))}\n`,
	);
}

if (require.main === module) {
	const file = process.argv[2]; // an existing .cpuprofile: only summarise it
	(file
		? Promise.resolve(
				process.stdout.write(`${summariseProfile(JSON.parse(readFileSync(file, 'utf8')))}\n`),
			)
		: main()
	).catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = 1;
	});
}
