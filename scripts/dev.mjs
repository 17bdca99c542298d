#!/usr/bin/env node
// `npm run dev` (after `npm run build`): a local n8n (the newest in scripts/n8n-versions.json) on
// http://localhost:5678 with this package installed from its own `npm pack` tarball, as n8n's
// community installer would install it, plus each registered sender's dev credential (its
// sender.json) and sample workflows (nodes/<Sender>/dev/), published. Runs in the foreground;
// Ctrl-C stops.
//
// The user folder is persistent (<cache>/dev-<version>): the owner account, your own workflows and
// executions survive restarts. The package is reinstalled on every run so code changes show up.
// The samples are (re)imported when they change.
//
// Environment: N8N_PORT (default 5678), N8N_LISTEN_ADDRESS (default 127.0.0.1),
// DEV_N8N_VERSION (default: the first of scripts/n8n-versions.json; the others work too).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFileServer } from '../bin/lib/http.mjs';
import { documentIdentity } from '../bin/lib/payloads.mjs';
import { loadSenders } from '../bin/lib/senders.mjs';
import { CACHE_DIR, DEFAULT_N8N_VERSION, ensureN8n } from './n8n-install.mjs';
import {
	REPO_DIR,
	importAndActivate,
	installPackageTarball,
	n8nEnv,
	packPackage,
	runN8nCli,
	waitHealthy,
} from './n8n-instance.mjs';

const VERSION = process.env.DEV_N8N_VERSION ?? DEFAULT_N8N_VERSION;
const PORT = Number(process.env.N8N_PORT ?? 5678);
const LISTEN = process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1';
const PUBLIC_BASE = `http://localhost:${PORT}`;
const log = (msg) => console.log(`[dev] ${msg}`);

// Per trigger of every registered sender: its sample workflow, its dev credential and the curl
// line of a sample delivery (built as send-sample builds it).
const PACKAGE = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')).name;
const senders = await loadSenders();
const credentials = senders.flatMap((sender) => sender.dev.credentials);
const triggers = senders.flatMap((sender) =>
	sender.triggers.map((trigger) => {
		const workflow = JSON.parse(readFileSync(new URL(trigger.dev.workflow, sender.folder), 'utf8'));
		const node = workflow.nodes.find((n) => n.type === `${PACKAGE}.${trigger.key}Trigger`);
		const [credentialType] = Object.keys(node.credentials ?? {});
		const credential = credentials.find((c) => c.type === credentialType);
		return {
			sender,
			trigger,
			workflow,
			node,
			urlPath: `/webhook/${node.webhookId}/${trigger.webhookPath}`,
			authorization: credential && sender.module.authorizationFor(credential),
		};
	}),
);
const workflows = triggers.map((t) => t.workflow);

// ---- install n8n (first run only), pack and install the package
if (!existsSync(join(REPO_DIR, 'dist'))) {
	console.error('[dev] dist/ is missing: run `npm run build` first (npm run dev does).');
	process.exit(1);
}
const n8n = ensureN8n(VERSION);
const userFolder = join(CACHE_DIR, `dev-${VERSION}`);
mkdirSync(userFolder, { recursive: true });
const { tarball } = packPackage(join(userFolder, 'pack'));
const installed = installPackageTarball(userFolder, tarball);
log(`installed ${installed.name}@${installed.version} from ${tarball}`);

const env = n8nEnv(n8n, userFolder, {
	port: PORT,
	extra: {
		N8N_LISTEN_ADDRESS: LISTEN,
		WEBHOOK_URL: `${PUBLIC_BASE}/`,
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
	},
});

// ---- (re)import the dev samples when they changed since the last run
const samplesHash = createHash('sha256')
	.update(JSON.stringify({ credentials, workflows, VERSION }))
	.digest('hex');
const hashFile = join(userFolder, '.dev-samples-hash');
const dbExists = existsSync(join(userFolder, '.n8n', 'database.sqlite'));
if (!dbExists || !existsSync(hashFile) || readFileSync(hashFile, 'utf8') !== samplesHash) {
	log("importing the senders' dev credentials and sample workflows");
	if (dbExists) {
		// Importing over a published workflow fails ("without permissions"): unpublish ours first.
		for (const w of workflows) {
			try {
				runN8nCli(
					n8n,
					env,
					VERSION.startsWith('1.')
						? ['update:workflow', `--id=${w.id}`, '--active=false']
						: ['unpublish:workflow', `--id=${w.id}`],
				);
			} catch {
				// not imported yet
			}
		}
	}
	importAndActivate(n8n, env, userFolder, { credentials, workflows });
	writeFileSync(hashFile, samplesHash);
} else {
	log('dev samples unchanged since the last run; not re-importing');
}

// ---- the files senders link to (iLink's attachments): served here, so that their curl lines
// download a real PDF/XML
const fileUrls = new Map();
for (const sender of senders.filter((s) => s.module.servedFiles)) {
	const server = await startFileServer({ files: sender.module.servedFiles(sender.tools), log });
	fileUrls.set(sender, server.urls);
}
const samplesDir = join(userFolder, 'samples');
mkdirSync(samplesDir, { recursive: true });
// Each run gets its own documents: the triggers remember documents they already received
// (across restarts), and a repeated one is answered 200 without an execution.
const runNumber = Math.floor(Date.now() / 1000) % 1_000_000;
for (const t of triggers) {
	const { kind, defaultStatus } = t.trigger.cli;
	const { payload } = t.sender.module.build(
		{
			kind,
			status: defaultStatus,
			identity: documentIdentity(t.sender, `dev-${runNumber}-${t.trigger.key}`),
			fileUrls: fileUrls.get(t.sender),
		},
		t.sender.tools,
	);
	t.payload = join(samplesDir, `${t.node.webhookId}.json`);
	writeFileSync(t.payload, JSON.stringify(payload, null, 2));
}

// ---- start n8n in the foreground
log(`starting n8n ${VERSION} (user folder ${userFolder})`);
const child = spawn(n8n.nodeBin, [n8n.n8nBin, 'start'], { env, stdio: 'inherit' });
let exiting = false;
// Ctrl-C reaches n8n directly (same process group); just wait for it to shut down.
process.on('SIGINT', () => {
	exiting = true;
});
process.on('SIGTERM', () => {
	exiting = true;
	child.kill('SIGTERM');
});
child.on('exit', (code, signal) => {
	if (!exiting) log(`n8n exited (${signal ?? code})`);
	process.exit(code ?? 0);
});

const local = `http://127.0.0.1:${PORT}`;
await waitHealthy(local, { timeoutMs: 180_000, isDead: () => child.exitCode !== null });
// /healthz turns ok before the published workflows are activated; wait until every sample webhook
// is registered (an OPTIONS preflight answers 204 then, and starts no execution).
for (const t of triggers) {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline && child.exitCode === null) {
		const r = await fetch(`${local}${t.urlPath}`, { method: 'OPTIONS' }).catch(() => undefined);
		if (r?.status === 204) break;
		await new Promise((res) => setTimeout(res, 300));
	}
}
await new Promise((res) => setTimeout(res, 1000));

let showSetup = false;
try {
	const settings = await (await fetch(`${local}/rest/settings`)).json();
	showSetup = Boolean((settings.data ?? settings).userManagement?.showSetupOnFirstLoad);
} catch {
	// older versions: no hint
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const lines = [
	'',
	'='.repeat(78),
	` n8n ${VERSION} with ${installed.name}@${installed.version} is running: ${PUBLIC_BASE}`,
	showSetup
		? ' First visit: the editor asks you to create the owner account (any e-mail/password).'
		: '',
	'',
	...triggers.flatMap((t) => [
		` ${t.workflow.name}`,
		`   ${PUBLIC_BASE}${t.urlPath}`,
		`   curl -i -X POST ${q(`${PUBLIC_BASE}${t.urlPath}`)} -H 'Content-Type: application/json'` +
			(t.authorization ? ` -H ${q(`Authorization: ${t.authorization}`)}` : '') +
			` --data-binary @${q(t.payload)}`,
		'',
	]),
	' Sending the same sample again is answered 200 as a repeated delivery and starts nothing;',
	' for a fresh document each time: npx n8n-nodes-ilink-invoicy send-sample --help',
	' Executions: open a workflow in the editor → Executions. Ctrl-C stops n8n.',
	'='.repeat(78),
	'',
].filter((l, i, a) => l !== '' || a[i - 1] !== '');
console.log(lines.join('\n'));
