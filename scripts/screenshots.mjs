#!/usr/bin/env node
// Takes the README's screenshots from a real n8n. See docs/screenshots.md.
//
//   npm run build && node scripts/screenshots.mjs [--only <name>[,<name>...]] [--out <dir>]
//
// 1. A fresh, isolated n8n, the newest in scripts/n8n-versions.json (cached by
//    scripts/n8n-install.mjs) in a temporary user folder on a free loopback port, with this package
//    installed from `npm pack` the way n8n's community installer does it, and the `npm run dev`
//    sample workflows (one per trigger) published with their credentials (scripts/n8n-instance.mjs).
// 2. The owner account is created through n8n's REST API (POST /rest/owner/setup) and logged in
//    (POST /rest/login); the session cookie is handed to headless Chromium (Debian's `chromium`,
//    driven by playwright-core with `executablePath`, no browser download).
// 3. Screenshots at a fixed viewport into docs/images/: each trigger's parameter panel, and an
//    execution started by the `send-sample` CLI on a production URL (its item and its PDF).
// 4. n8n and Chromium are stopped on success, on failure and on Ctrl-C; a watchdog process kills
//    n8n's process group if this script dies without cleaning up.
import { execFile, spawn } from 'node:child_process';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { loadSenders } from '../bin/lib/senders.mjs';
import { DEFAULT_N8N_VERSION, ensureN8n } from './n8n-install.mjs';
import {
	REPO_DIR,
	freePort,
	importAndActivate,
	installPackageTarball,
	n8nEnv,
	packPackage,
	waitHealthy,
} from './n8n-instance.mjs';

const N8N_VERSION = DEFAULT_N8N_VERSION;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 900 };
const WIDE_VIEWPORT = { width: 1800, height: 900 };
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ana',
	lastName: 'Silva',
	password: 'Screenshots-2026!',
};
/** Per-step UI timeout: generous, the first editor load compiles a lot of JavaScript. */
const UI_TIMEOUT = 60_000;

const args = process.argv.slice(2);
const argValue = (name) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const OUT_DIR = argValue('--out') ?? join(REPO_DIR, 'docs', 'images');
const ONLY = argValue('--only')?.split(',');
const KEEP_TMP = args.includes('--keep-tmp');

const started = Date.now();
const log = (msg) =>
	console.log(`[screenshots ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const execFileP = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Workflows and credentials: the `npm run dev` samples (nodes/<Sender>/), renamed for display.

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));

/** Display names in the pictures (the dev files say "(dev)", which a README reader does not need). */
const CREDENTIAL_NAMES = {
	iLinkAccessKeyApi: 'iLink Access Key',
	invoiCyBearerTokenApi: 'InvoiCy Bearer Token',
	invoiCyBasicAuthApi: 'InvoiCy Basic Auth',
};

async function loadDevSamples() {
	const senders = await loadSenders();
	const credentials = senders
		.flatMap((sender) => sender.dev.credentials)
		.map((c) => ({
			...c,
			name: CREDENTIAL_NAMES[c.type] ?? c.name,
		}));
	const credName = new Map(credentials.map((c) => [c.id, c.name]));
	const webhookPaths = new Map(
		senders.flatMap((s) => s.triggers.map((t) => [`${t.key}Trigger`, t.webhookPath])),
	);
	const wf = (file) => {
		const w = readJson(join(REPO_DIR, 'nodes', file));
		const trigger = w.nodes.find((n) => n.type.startsWith('n8n-nodes-ilink-invoicy.'));
		if (!trigger?.webhookId) throw new Error(`nodes/${file}: no trigger node with a webhookId`);
		for (const n of w.nodes)
			for (const ref of Object.values(n.credentials ?? {}))
				ref.name = credName.get(ref.id) ?? ref.name;
		w.name = w.name.replace(/\s*\(dev sample\)\s*$/, '');
		const type = trigger.type.split('.')[1];
		return { workflow: w, trigger, type, path: webhookPaths.get(type) };
	};
	const newDocument = wf('ILink/dev/ilink-new-document.json');
	return {
		credentials,
		newDocument,
		statusChange: wf('ILink/dev/ilink-status-change.json'),
		nfse: wf('InvoiCy/dev/invoicy-nfse.json'),
		invoiceLines: invoiceLinesExample(newDocument.trigger, credentials),
	};
}

/**
 * examples/ilink-invoice-lines-to-sheet.json (trigger with Document Details → Split Out → Google
 * Sheets) with the dev iLink credential, and a placeholder Google Sheets credential so that the
 * editor shows no warning: the Sheets node is disabled (no Google account here), the execution
 * stops after Split Out.
 */
function invoiceLinesExample(devTrigger, credentials) {
	const workflow = readJson(join(REPO_DIR, 'examples', 'ilink-invoice-lines-to-sheet.json'));
	const trigger = workflow.nodes.find((n) => n.type.startsWith('n8n-nodes-ilink-invoicy.'));
	trigger.credentials = devTrigger.credentials;
	// send-sample serves the sample PDF and XML on 127.0.0.1, a loopback address.
	trigger.parameters.options = { ...trigger.parameters.options, allowPrivateAddresses: true };
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.googleSheets') continue;
		node.disabled = true;
		for (const [type, ref] of Object.entries(node.credentials ?? {}))
			credentials.push({ id: ref.id, name: ref.name, type, data: {} });
	}
	return { workflow, trigger, type: 'iLinkNewDocumentTrigger', path: 'ilink-new-document' };
}

// ---------------------------------------------------------------------------------------------
// Clean-up: everything started is registered here and stopped in reverse order, exactly once.

const cleanups = [];
let cleaningUp = null;
function cleanup() {
	cleaningUp ??= (async () => {
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (e) {
				console.error(`[screenshots] clean-up step failed: ${e.message}`);
			}
		}
	})();
	return cleaningUp;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
	process.on(sig, () => {
		log(`${sig}: stopping`);
		cleanup().finally(() => process.exit(130));
	});

/**
 * Kills the process group `groupId` once this process is gone (even after SIGKILL) and removes
 * `tmpDir`, then exits. Exits by itself when the group is gone (the normal clean-up ran).
 */
function spawnWatchdog(nodeBin, groupId, tmpDir) {
	const script = `
		const [parent, group, tmp] = process.argv.slice(1);
		const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
		setInterval(() => {
			if (!alive(-group)) process.exit(0);
			if (!alive(Number(parent))) {
				try { process.kill(-group, 'SIGKILL'); } catch {}
				setTimeout(() => {
					try { require('node:fs').rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }); } catch {}
					process.exit(0);
				}, 1000);
			}
		}, 500);`;
	const w = spawn(nodeBin, ['-e', script, String(process.pid), String(groupId), tmpDir], {
		detached: true,
		stdio: 'ignore',
	});
	w.unref();
}

// ---------------------------------------------------------------------------------------------
// n8n

let n8nLogFile = null;

async function startN8n(samples, extraEnv = {}) {
	const n8n = ensureN8n(N8N_VERSION);
	const tmp = mkdtempSync(join(tmpdir(), 'n8n-screenshots-'));
	cleanups.push(() => {
		if (KEEP_TMP) log(`kept ${tmp}`);
		else rmSync(tmp, { recursive: true, force: true });
	});
	const userFolder = join(tmp, 'user');
	mkdirSync(userFolder, { recursive: true });

	log('packing and installing the package as the community installer does');
	const { tarball } = packPackage(join(tmp, 'pack'));
	installPackageTarball(userFolder, tarball);

	const port = await freePort();
	const brokerPort = await freePort();
	const env = n8nEnv(n8n, userFolder, {
		port,
		brokerPort,
		extra: { N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_LOG_LEVEL: 'warn', ...extraEnv },
	});
	log('importing and publishing the dev/ sample workflows');
	importAndActivate(n8n, env, userFolder, {
		credentials: samples.credentials,
		workflows: [
			samples.newDocument.workflow,
			samples.statusChange.workflow,
			samples.nfse.workflow,
			samples.invoiceLines.workflow,
		],
	});

	const baseUrl = `http://127.0.0.1:${port}`;
	const logFile = join(tmp, 'n8n.log');
	n8nLogFile = logFile;
	const logStream = createWriteStream(logFile);
	log(`starting n8n ${N8N_VERSION} on ${baseUrl}`);
	// detached: its own process group, so the task runner n8n spawns is stopped with it.
	const child = spawn(n8n.nodeBin, [n8n.n8nBin, 'start'], {
		env,
		cwd: userFolder,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let exited = false;
	const exitedP = new Promise((res) => child.on('exit', () => res((exited = true))));
	child.stdout.pipe(logStream);
	child.stderr.pipe(logStream);
	spawnWatchdog(n8n.nodeBin, child.pid, tmp);
	cleanups.push(async () => {
		if (exited) return;
		log('stopping n8n');
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, 10_000);
		await exitedP;
		clearTimeout(timer);
		// The task runner is in the same group; make sure nothing of it is left.
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	});
	try {
		await waitHealthy(baseUrl, { timeoutMs: 180_000, isDead: () => exited });
		// /healthz answers before the REST API and the editor are mounted; /healthz/readiness
		// only once n8n has finished starting.
		await waitReady(baseUrl, () => exited);
	} catch (e) {
		throw new Error(
			`${e.message}\n--- n8n log (${logFile}) ---\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
		);
	}
	return { baseUrl, userFolder, tmp, logFile };
}

async function waitReady(baseUrl, isDead, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (isDead()) throw new Error('n8n exited while starting');
		const r = await fetch(`${baseUrl}/healthz/readiness`).catch(() => null);
		if (r?.ok) return;
		await new Promise((res) => setTimeout(res, 250));
	}
	throw new Error(`n8n at ${baseUrl} not ready after ${timeoutMs} ms`);
}

/**
 * Waits until n8n listens on each production URL: readiness comes a moment before the published
 * workflows' webhooks are registered. The probe carries no credential, so the node answers 401
 * and starts nothing; only 404 means "not registered yet".
 */
async function waitWebhooks(urls, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (const url of urls) {
		for (;;) {
			const r = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
			await r.arrayBuffer();
			if (r.status !== 404) break;
			if (Date.now() > deadline)
				throw new Error(`n8n does not listen on ${url} after ${timeoutMs} ms`);
			await new Promise((res) => setTimeout(res, 250));
		}
	}
}

/** Creates the owner account and logs in; returns the auth cookie (name, value). */
async function ownerSession(baseUrl) {
	const post = async (path, body) => {
		const r = await fetch(`${baseUrl}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!r.ok) throw new Error(`POST ${path}: HTTP ${r.status} ${await r.text()}`);
		return r;
	};
	await post('/rest/owner/setup', OWNER);
	const r = await post('/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	const cookie = r.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('POST /rest/login: no n8n-auth cookie');
	return { name: 'n8n-auth', value: cookie.slice('n8n-auth='.length) };
}

/** Posts one sample delivery with the package's own CLI, as a user would. */
async function sendSample(kind, url, auth, extra = []) {
	const { stdout } = await execFileP(
		process.execPath,
		[
			join(REPO_DIR, 'bin', 'n8n-nodes-ilink-invoicy.mjs'),
			'send-sample',
			kind,
			'--url',
			url,
			...auth,
			...extra,
		],
		{ cwd: REPO_DIR, timeout: 60_000 },
	);
	log(`send-sample ${kind}: ${stdout.trim().split('\n')[0]}`);
}

// ---------------------------------------------------------------------------------------------
// Chromium

async function startBrowser(baseUrl, cookie, tmp) {
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch {
		throw new Error('playwright-core is missing: run `npm install` (it is a devDependency)');
	}
	if (!existsSync(CHROMIUM))
		throw new Error(
			`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	// Inside n8n's temporary folder, so the watchdog removes it too if this script is killed.
	const profile = join(tmp, 'chromium-profile');
	mkdirSync(profile);
	// launchPersistentContext: a fresh --user-data-dir of our own. The flags keep Chromium from
	// calling home (this machine's network is closed) and from running as a sandboxed root.
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'Europe/Lisbon',
		colorScheme: 'light',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	cleanups.push(async () => {
		log('stopping Chromium');
		await context.close();
	});
	await context.addCookies([{ ...cookie, url: baseUrl }]);
	context.setDefaultTimeout(UI_TIMEOUT);
	const page = context.pages()[0] ?? (await context.newPage());
	return { context, page };
}

// ---------------------------------------------------------------------------------------------
// The editor

/** Base URL n8n shows in the nodes' Webhook URLs (display only: deliveries go to the loopback port). */
const PUBLIC_URL = 'https://n8n.example.com/';

/**
 * What the parameter panels show besides the defaults, so the pictures have some options set.
 * None of these blocks the sample deliveries posted below (no IP restriction, the samples' states).
 */
const DISPLAY_PARAMETERS = {
	newDocument: {
		options: { downloadAttachments: true, downloadTimeout: 15, ignoreDuplicates: true },
	},
	statusChange: { states: ['accepted', 'rejected'], options: { invalidPayload: 'reject' } },
	nfse: { statuses: ['authorized', 'cancelled'], options: { ignoreDuplicates: true } },
};

/** Closes whatever n8n may put over the editor on a first visit (surveys, tours, notices). */
async function dismissOverlays(page) {
	for (let i = 0; i < 5; i++) {
		const dialog = page.locator('.el-overlay-dialog:visible, [role="dialog"]:visible').first();
		if (!(await dialog.count())) return;
		// The node details view is a dialog too: leave it alone.
		if (await dialog.locator('[data-test-id="ndv"]').count()) return;
		log(
			`closing a dialog: ${((await dialog.innerText().catch(() => '')) || '').trim().slice(0, 60).replace(/\s+/g, ' ')}`,
		);
		const close = dialog
			.locator('.el-dialog__headerbtn, [aria-label="Close"], [data-test-id$="close-button"]')
			.first();
		if (await close.count()) await close.click();
		else await page.keyboard.press('Escape');
		await page.waitForTimeout(300);
	}
}

/** Fonts loaded, no pointer hovering anything, nothing animating: ready for a picture. */
async function settle(page) {
	await page.mouse.move(VIEWPORT.width / 2, 4);
	await page.evaluate(() => document.fonts.ready);
	await page.waitForLoadState('networkidle').catch(() => {});
}

async function shoot(page, name, options = {}) {
	if (ONLY && !ONLY.includes(name)) return;
	await settle(page);
	const file = join(OUT_DIR, `${name}.png`);
	await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', ...options });
	const kb = Math.round(statSync(file).size / 1024);
	log(`wrote ${relative(REPO_DIR, file)} (${kb} KB)`);
	shots.push(file);
}
const shots = [];

/** Opens a workflow in the editor and the node details view of `nodeName` on it. */
async function openNode(page, baseUrl, workflowId, nodeName, { execution } = {}) {
	await page.goto(
		`${baseUrl}/workflow/${workflowId}${execution ? `/executions/${execution}` : ''}`,
	);
	const scope = execution ? page.locator('[data-test-id="execution-preview-host"]') : page;
	const node = scope.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor();
	await dismissOverlays(page);
	await node.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor();
	await ndv.locator('[data-test-id="node-parameters"]').waitFor();
	return ndv;
}

/** (a) The trigger's parameter panel, with the Production URL shown. */
async function shootTriggerPanel(page, baseUrl, sample, name) {
	if (ONLY && !ONLY.includes(name)) return;
	const ndv = await openNode(page, baseUrl, sample.workflow.id, sample.trigger.name);
	// Scoped: the trigger panel's own text names "Webhook URLs" too.
	await ndv
		.locator('[data-test-id="node-parameters"]')
		.getByText('Webhook URLs', { exact: true })
		.click();
	await ndv.locator('[data-test-id="radio-button-production"]').click();
	await ndv.getByText(`${PUBLIC_URL}webhook/${sample.trigger.webhookId}/${sample.path}`).waitFor();
	await ndv.locator('[data-test-id="node-credentials-select"]').waitFor();
	await shoot(page, name);
}

/** (a') The trigger panel with n8n's "When will this node trigger my flow?" opened. */
async function shootTriggerPanelHelp(page, baseUrl, sample, name) {
	if (ONLY && !ONLY.includes(name)) return;
	const ndv = await openNode(page, baseUrl, sample.workflow.id, sample.trigger.name);
	await ndv.locator('[data-test-id="trigger-header"]').waitFor();
	await ndv.getByText('When will this node trigger my flow?', { exact: true }).click();
	await ndv.getByText('While building your workflow', { exact: false }).first().waitFor();
	await shoot(page, name);
}

/**
 * (a'') The InvoiCy trigger switched to Automatic mode in the editor (not saved, so nothing is
 * registered): the InvoiCy API credential and the notifications publishing would register.
 */
async function shootAutomaticMode(page, baseUrl, sample, name) {
	if (ONLY && !ONLY.includes(name)) return;
	const ndv = await openNode(page, baseUrl, sample.workflow.id, sample.trigger.name);
	await ndv.locator('[data-test-id="parameter-input-authentication"]').click();
	await page.getByRole('option', { name: 'Automatic (Register Through the InvoiCy API)' }).click();
	await ndv.getByText('Publishing this workflow registers its Production URL').waitFor();
	await ndv.locator('[data-test-id="parameter-input-notificationTypes"]').waitFor();
	await ndv.locator('[data-test-id="node-credentials-select"]').click();
	// The credential's option reads "InvoiCy API" (its name) then its type; the Authentication
	// option just chosen also contains "InvoiCy API" while it fades out.
	await page
		.getByRole('option')
		.filter({ hasText: /^InvoiCy API/ })
		.click();
	await ndv.locator('[data-test-id="node-credentials-select"] input').first().waitFor();
	await shoot(page, name);
}

/** Waits until the workflow has a finished execution after `afterId`; returns its id. */
async function waitExecution(baseUrl, cookie, workflowId, afterId = 0) {
	const deadline = Date.now() + 30_000;
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	while (Date.now() < deadline) {
		const r = await fetch(`${baseUrl}/rest/executions?filter=${filter}`, {
			headers: { cookie: `${cookie.name}=${cookie.value}` },
		});
		if (!r.ok) throw new Error(`GET /rest/executions: HTTP ${r.status}`);
		const done = (await r.json()).data.results.filter((e) => Number(e.id) > afterId && e.stoppedAt);
		if (done.length) {
			const e = done[0];
			if (e.status !== 'success')
				throw new Error(`execution ${e.id} of ${workflowId}: ${e.status}`);
			return e.id;
		}
		await new Promise((res) => setTimeout(res, 250));
	}
	throw new Error(`no execution of ${workflowId} within 30 s`);
}

async function main() {
	const samples = await loadDevSamples();
	// Selected by the editor when Automatic mode is picked; never used (the workflow is not saved).
	samples.credentials.push({
		id: 'shotCredInvoiCyApi',
		name: 'InvoiCy API',
		type: 'invoiCyApi',
		data: {
			environment: 'production',
			cnpj: '11222333000181',
			partnerKey: 'screenshot-partner-key',
			accessKey: 'screenshot-access-key',
		},
	});
	const secrets = Object.fromEntries(samples.credentials.map((c) => [c.type, c.data]));
	for (const [key, params] of Object.entries(DISPLAY_PARAMETERS)) {
		const t = samples[key].trigger;
		t.parameters = {
			...t.parameters,
			...params,
			options: { ...t.parameters.options, ...params.options },
		};
	}
	const { baseUrl, tmp } = await startN8n(samples, { WEBHOOK_URL: PUBLIC_URL });
	const cookie = await ownerSession(baseUrl);
	log('owner account created and logged in');

	// Deliveries first, so the browser only looks. The CLI posts to the production URLs on loopback.
	const prodUrl = (s) => `${baseUrl}/webhook/${s.trigger.webhookId}/${s.path}`;
	await waitWebhooks([samples.newDocument, samples.statusChange, samples.nfse].map(prodUrl));
	await sendSample('invoicy-nfse', prodUrl(samples.nfse), [
		'--token',
		secrets.invoiCyBearerTokenApi.token,
	]);
	const nfseExecution = await waitExecution(baseUrl, cookie, samples.nfse.workflow.id);
	await sendSample('ilink-new-document', prodUrl(samples.newDocument), [
		'--key',
		secrets.iLinkAccessKeyApi.accessKey,
	]);
	const newDocExecution = await waitExecution(baseUrl, cookie, samples.newDocument.workflow.id);
	await waitWebhooks([prodUrl(samples.invoiceLines)]);
	await sendSample('ilink-new-document', prodUrl(samples.invoiceLines), [
		'--key',
		secrets.iLinkAccessKeyApi.accessKey,
	]);
	const linesExecution = await waitExecution(baseUrl, cookie, samples.invoiceLines.workflow.id);

	mkdirSync(OUT_DIR, { recursive: true });
	const { page } = await startBrowser(baseUrl, cookie, tmp);

	await shootTriggerPanel(page, baseUrl, samples.newDocument, 'ilink-new-document-node');
	await shootTriggerPanel(page, baseUrl, samples.statusChange, 'ilink-status-node');
	await shootTriggerPanel(page, baseUrl, samples.nfse, 'invoicy-nfse-node');
	await shootTriggerPanelHelp(page, baseUrl, samples.newDocument, 'ilink-trigger-panel-help');
	await shootAutomaticMode(page, baseUrl, samples.nfse, 'invoicy-automatic-node');

	if (!ONLY || ONLY.includes('execution-item')) {
		// (b) The InvoiCy execution: the trigger's item, as JSON.
		const ndv = await openNode(page, baseUrl, samples.nfse.workflow.id, samples.nfse.trigger.name, {
			execution: nfseExecution,
		});
		await ndv.locator('[data-test-id="radio-button-json"]').click();
		await ndv
			.locator('[data-test-id="ndv-data-container"]')
			.getByText('"nfse.status_changed"')
			.waitFor();
		await shoot(page, 'execution-item');
	}
	if (!ONLY || ONLY.includes('execution-pdf')) {
		// (c) The iLink execution: the PDF and XML the node downloaded, on the Binary tab.
		const ndv = await openNode(
			page,
			baseUrl,
			samples.newDocument.workflow.id,
			samples.newDocument.trigger.name,
			{
				execution: newDocExecution,
			},
		);
		await ndv.locator('[data-test-id="radio-button-binary"]').click();
		await ndv.locator('[data-test-id="ndv-binary-data_0"]').getByText('application/pdf').waitFor();
		// The file cards sit at the top of the output panel: leave out the empty space below them.
		await shoot(page, 'execution-pdf', {
			clip: { x: 0, y: 0, width: VIEWPORT.width, height: 460 },
		});
	}
	await shootInvoiceLines(
		page,
		baseUrl,
		samples.invoiceLines,
		linesExecution,
		'invoice-lines-split-out',
	);
}

/**
 * (d) The invoice-lines example's execution: Split Out's input (the trigger's item with
 * `details`) and its output, one flat row per invoice line, as a table.
 */
async function shootInvoiceLines(page, baseUrl, sample, execution, name) {
	if (ONLY && !ONLY.includes(name)) return;
	// Wider than the other pictures: the table has ten columns.
	await page.setViewportSize(WIDE_VIEWPORT);
	try {
		const ndv = await openNode(page, baseUrl, sample.workflow.id, 'Split Out Lines', { execution });
		// The input's schema, searched for the list Split Out reads: details > lines.
		const input = ndv.locator('[data-test-id="ndv-input-panel"]');
		await input.locator('[data-test-id="radio-button-schema"]').click();
		await input.locator('[data-test-id="ndv-search"]').click();
		await page.keyboard.type('lines');
		await input.getByText('lines', { exact: true }).first().waitFor();
		const output = ndv.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="radio-button-table"]').click();
		await output.getByText('Consulting services - June 2025 (sample)').waitFor();
		// The parameters panel dragged to the left, so that the output table has the room.
		const handle = await ndv.locator('[data-test-id="panel-drag-button"]').boundingBox();
		if (handle) {
			const y = handle.y + handle.height / 2;
			await page.mouse.move(handle.x + handle.width / 2, y);
			await page.mouse.down();
			await page.mouse.move(handle.x - 320, y, { steps: 10 });
			await page.mouse.up();
		}
		await shoot(page, name);
	} finally {
		await page.setViewportSize(VIEWPORT);
	}
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
	let code = 0;
	try {
		await main();
		log(`done: ${shots.length} screenshots in ${relative(REPO_DIR, OUT_DIR) || '.'}`);
	} catch (e) {
		code = 1;
		console.error(`[screenshots] FAILED: ${e.stack ?? e}`);
		if (n8nLogFile && existsSync(n8nLogFile))
			console.error(
				`--- last lines of the n8n log ---\n${readFileSync(n8nLogFile, 'utf8').slice(-3000)}`,
			);
	} finally {
		await cleanup();
	}
	process.exit(code);
}
