/**
 * End-to-end harness: a real n8n (2.x on Node 24, or 1.x on Node 20) with this package installed
 * from its `npm pack` tarball exactly as n8n's community-package installer would, workflows and
 * credentials imported and published, listening on a free loopback port.
 *
 * Results are read from n8n itself: its database (SQLite, or PostgreSQL in queue mode:
 * execution_entity / execution_data / binary_data) and, for binary data kept on disk, its
 * storage folder. Nothing in the workflows writes files or calls out.
 *
 * Reused by the e2e suite and meant to be reused by the benchmark and load test:
 *
 *   const { tarball } = packPackage();
 *   const n8n = await N8nInstance.start({ version: '2.40.7', tarball, credentials, workflows });
 *   const res = await fetch(n8n.url('/webhook/<webhookId>/<path>'), { method: 'POST', ... });
 *   const [exec] = await n8n.waitForExecutions(1, { after: mark });
 *   await n8n.stop();
 *
 * Slow and blocking steps (installing n8n into the cache, installing the tarball, the n8n CLI
 * import/publish commands) run in scripts/e2e-prepare.mjs, which shares its code with
 * `npm run dev` (scripts/n8n-instance.mjs). The harness only starts, watches and stops n8n.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_DIR = resolve(__dirname, '..', '..');
const SCRIPTS = join(REPO_DIR, 'scripts');

export interface CredentialSpec {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowSpec {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export interface StartOptions {
	/** n8n version, one of scripts/n8n-versions.json. */
	version: string;
	/** Tarball from packPackage(); omit to run n8n without the package. */
	tarball?: string;
	credentials?: CredentialSpec[];
	workflows?: WorkflowSpec[];
	/** Extra environment for n8n (e.g. N8N_DEFAULT_BINARY_DATA_MODE, N8N_PAYLOAD_SIZE_MAX). */
	env?: Record<string, string>;
	/** Keep the temp user folder after stop() (also: env E2E_KEEP=1). */
	keepUserFolder?: boolean;
	/**
	 * Production webhook paths (e.g. '/webhook/<webhookId>/<path>') that must be registered before
	 * start() resolves. n8n answers /healthz, and even logs "Editor is now accessible", while it is
	 * still activating workflows; until then their webhooks answer 404.
	 */
	webhookPaths?: string[];
	/** Milliseconds to wait for /healthz and the webhooks. */
	startTimeoutMs?: number;
	/**
	 * Which n8n process to run (queue mode, see queueCluster.ts): `start` (default; the main
	 * process), `webhook` (a webhook processor) or `worker` (its health check answers on `port`).
	 */
	command?: N8nCommand;
}

export type N8nCommand = 'start' | 'webhook' | 'worker';

/** What each kind of n8n process logs once it serves requests. */
const READY_LOG: Record<N8nCommand, RegExp> = {
	start: /Editor is now accessible/,
	webhook: /Webhook listener waiting for requests/,
	worker: /n8n worker is now ready/,
};

/** One binary property of an item as n8n stores it in the execution data. */
export interface StoredBinary {
	data: string; // base64 in 'default' mode, or the storage mode name ('filesystem-v2', ...)
	id?: string; // '<mode>:<fileId>' when the bytes live outside the execution data
	mimeType: string;
	fileName?: string;
	fileExtension?: string;
	fileSize?: string;
	[k: string]: unknown;
}

export interface StoredItem {
	json: Record<string, any>;
	binary?: Record<string, StoredBinary>;
	[k: string]: unknown;
}

export interface Execution {
	id: string;
	workflowId: string;
	status: string; // 'success' | 'error' | 'running' | 'new' | ...
	mode: string; // 'webhook' for production webhook calls
	finished: number | boolean;
	startedAt: string | null;
	stoppedAt: string | null;
	data: any; // IRunExecutionData (absent when read with withData: false)
	hasData?: boolean; // only when read with withData: false
}

/** What one node produced in an execution: items per output index (0 = first output). */
export type NodeOutputs = StoredItem[][];

interface Prepared {
	nodeBin: string;
	n8nBin: string;
	n8nDir: string;
	node24Bin: string;
	env: Record<string, string>;
	/** Where the package was installed (when a tarball was given). */
	installed: { dir: string } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every instance that may still be running, for the exit hook. */
const live = new Set<N8nInstance>();
let exitHookInstalled = false;
function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// Best effort only: under jest `process` is a sandbox copy whose events may never fire. The
	// watchdog started next to every n8n (see spawnWatchdog) is what guarantees the clean-up.
	process.on('exit', () => {
		for (const i of live) i.killNow();
	});
}

/**
 * Kills the n8n process group once this (test) process is gone, even if it died from SIGKILL or
 * jest tore the worker down without running afterAll, then removes the temp user folder (unless
 * kept). Exits by itself when the group is gone.
 */
export function spawnWatchdog(nodeBin: string, groupId: number, removeFolder: string | undefined) {
	const script = `
		const [parent, group] = process.argv.slice(1, 3).map(Number);
		const folder = process.argv[3];
		const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
		setInterval(() => {
			if (!alive(-group)) process.exit(0);
			if (!alive(parent)) {
				try { process.kill(-group, 'SIGKILL'); } catch {}
				if (folder) setTimeout(() => { require('fs').rmSync(folder, { recursive: true, force: true }); process.exit(0); }, 1000);
				else process.exit(0);
			}
		}, 500);`;
	const args = [
		'-e',
		script,
		String(process.pid),
		String(groupId),
		...(removeFolder ? [removeFolder] : []),
	];
	const w = spawn(nodeBin, args, { detached: true, stdio: 'ignore' });
	w.unref();
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => res(typeof addr === 'object' && addr ? addr.port : 0));
		});
	});
}

let packed: { tarball: string; files: string[]; info: any } | undefined;
/**
 * `npm pack` of the repository into .e2e/ (once per process). Run `npm run build` first: the
 * tarball contains whatever dist/ holds.
 */
export function packPackage(): { tarball: string; files: string[]; info: any } {
	if (packed) return packed;
	// One folder per test process: two runs at once must not pack over each other's tarball.
	const outDir = join(REPO_DIR, '.e2e', `pack-${process.pid}`);
	mkdirSync(outDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: REPO_DIR,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [info] = JSON.parse(out);
	packed = {
		tarball: join(outDir, info.filename),
		files: info.files.map((f: any) => f.path),
		info,
	};
	return packed;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly logFile: string;
	port = 0;
	private prepared!: Prepared;
	private child: ChildProcess | undefined;
	private exited = true;
	private logTail = '';
	private logOffset = 0; // start of the current launch's output in logFile (restart appends)

	private constructor(private readonly opts: StartOptions) {
		this.userFolder = mkdtempSync(join(tmpdir(), `n8n-e2e-${opts.version}-`));
		this.logFile = join(this.userFolder, 'n8n.log');
	}

	/** Fresh user folder → install tarball → import + publish → `n8n start` → healthy. */
	static async start(opts: StartOptions): Promise<N8nInstance> {
		installExitHook();
		const inst = new N8nInstance(opts);
		try {
			inst.port = await freePort();
			const brokerPort = await freePort();
			const specFile = join(inst.userFolder, 'e2e-spec.json');
			writeFileSync(
				specFile,
				JSON.stringify({
					version: opts.version,
					userFolder: inst.userFolder,
					tarball: opts.tarball,
					port: inst.port,
					brokerPort,
					env: {
						N8N_LISTEN_ADDRESS: '127.0.0.1',
						...(opts.command === 'worker'
							? {
									QUEUE_HEALTH_CHECK_ACTIVE: 'true',
									QUEUE_HEALTH_CHECK_PORT: String(inst.port),
									N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
								}
							: {}),
						...(opts.env ?? {}),
					},
					credentials: opts.credentials ?? [],
					workflows: opts.workflows ?? [],
				}),
			);
			const out = execFileSync(process.execPath, [join(SCRIPTS, 'e2e-prepare.mjs'), specFile], {
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
				maxBuffer: 64 * 1024 * 1024,
				timeout: 20 * 60_000, // first run installs n8n into the cache
			});
			inst.prepared = JSON.parse(out);
			await inst.launch();
			return inst;
		} catch (e) {
			// Keep the folder (n8n.log, import/, database.sqlite) to see why it failed.
			await inst.stop({ removeUserFolder: false });
			(e as Error).message += `\n(n8n user folder kept for inspection: ${inst.userFolder})`;
			throw e;
		}
	}

	private get keepFolder() {
		return this.opts.keepUserFolder || process.env.E2E_KEEP === '1';
	}

	get version() {
		return this.opts.version;
	}

	get command(): N8nCommand {
		return this.opts.command ?? 'start';
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Absolute URL on this instance, e.g. url('/webhook/<id>/ilink-new-document'). */
	url(path: string) {
		return `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
	}

	/** Production webhook URL of a node with a fixed webhookId. */
	webhookUrl(webhookId: string, path: string) {
		return this.url(`/webhook/${webhookId}/${path}`);
	}

	/** The last lines n8n printed (for failure messages). */
	logs() {
		return this.logTail;
	}

	private async launch() {
		const { nodeBin, n8nBin, env } = this.prepared;
		this.logOffset = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').length : 0;
		const log = createWriteStream(this.logFile, { flags: 'a' });
		// detached: n8n gets its own process group, so stop() also reaches the task runner it spawns.
		const child = spawn(nodeBin, [n8nBin, this.command], {
			env,
			cwd: this.userFolder,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		this.exited = false;
		live.add(this);
		spawnWatchdog(nodeBin, child.pid!, this.keepFolder ? undefined : this.userFolder);
		const onData = (b: Buffer) => {
			log.write(b);
			this.logTail = (this.logTail + b.toString()).slice(-8000);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('exit', () => {
			// A process stop() gave up waiting for can exit after restart() launched the next one.
			if (this.child === child) this.exited = true;
			log.end();
		});
		await this.waitHealthy(this.opts.startTimeoutMs ?? 180_000);
	}

	private async waitHealthy(timeoutMs: number) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited)
				throw new Error(`n8n ${this.version} exited during start-up:\n${this.logTail}`);
			try {
				const r = await fetch(this.url('/healthz'), { signal: AbortSignal.timeout(2000) });
				if (r.ok && ((await r.json()) as { status?: string }).status === 'ok') {
					await this.waitForWebhooks(deadline);
					return;
				}
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		throw new Error(`n8n ${this.version} not healthy after ${timeoutMs} ms:\n${this.logTail}`);
	}

	/**
	 * Waits until every expected webhook is registered. Probes with OPTIONS (CORS preflight): n8n
	 * answers it from its webhook registry (204 when the path is known for some method, 404 when
	 * not) without running the trigger node, so probing starts no execution. Only 204 counts: while
	 * n8n is still booting a placeholder handler answers every request with 200.
	 */
	private async waitForWebhooks(deadline: number) {
		const paths = this.opts.webhookPaths ?? [];
		for (const path of paths) {
			for (;;) {
				if (this.exited)
					throw new Error(`n8n ${this.version} exited during start-up:\n${this.logTail}`);
				const r = await fetch(this.url(path), { method: 'OPTIONS' }).catch(() => undefined);
				if (r?.status === 204) break;
				if (Date.now() > deadline)
					throw new Error(
						`webhook ${path} not registered in time (${r?.status}):\n${this.logTail}`,
					);
				await sleep(200);
			}
		}
		// Seen on 2.40.7 with a freshly imported DB: OPTIONS already finds the webhook while POST
		// still gets "not registered" for a while (the activation's write is not yet visible to
		// every pooled SQLite connection). So also probe with a POST that no trigger here accepts
		// (empty body, no credentials: 401, 403 or 400, never an execution) until it is not 404.
		await this.waitForLog(READY_LOG[this.command], deadline);
		for (const path of paths) {
			for (;;) {
				const r = await fetch(this.url(path), {
					method: 'POST',
					headers: { 'content-type': 'text/plain' },
				}).catch(() => undefined);
				if (r && r.status !== 404) break;
				if (Date.now() > deadline)
					throw new Error(`webhook ${path} still answers POST with 404:\n${this.logTail}`);
				await sleep(200);
			}
		}
	}

	private async waitForLog(re: RegExp, deadline: number) {
		while (!re.test(this.logSoFar())) {
			if (this.exited)
				throw new Error(`n8n ${this.version} exited during start-up:\n${this.logTail}`);
			if (Date.now() > deadline) throw new Error(`n8n did not log ${re}:\n${this.logTail}`);
			await sleep(200);
		}
	}

	/** Everything this n8n process printed since the last launch. */
	private logSoFar() {
		return readFileSync(this.logFile, 'utf8').slice(this.logOffset);
	}

	/** SIGKILL the whole process group now (exit hook; no waiting). */
	killNow() {
		if (this.child?.pid && !this.exited) {
			try {
				process.kill(-this.child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	}

	/** Stops n8n and its task runner (SIGTERM to the group, SIGKILL after 15 s). */
	async stop({ removeUserFolder = true } = {}) {
		const child = this.child;
		if (child?.pid && !this.exited) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// already gone
			}
			const deadline = Date.now() + 15_000;
			while (!this.exited && Date.now() < deadline) await sleep(100);
			this.killNow();
			// The runner may outlive n8n's main process for a moment; make sure the group is empty.
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// group empty
			}
			const killed = Date.now() + 5000;
			while (!this.exited && Date.now() < killed) await sleep(50);
		}
		this.child = undefined;
		live.delete(this);
		if (removeUserFolder && !this.keepFolder)
			rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** Stops and starts n8n again on the same user folder and port. */
	async restart() {
		await this.stop({ removeUserFolder: false });
		await this.launch();
	}

	// ---------------------------------------------------------------- reading results from the DB

	get dbPath() {
		return join(this.userFolder, '.n8n', 'database.sqlite');
	}

	/** The installed package's folder, as n8n loads it. */
	get packageDir(): string {
		if (!this.prepared.installed) throw new Error('this n8n runs without the package');
		return this.prepared.installed.dir;
	}

	/**
	 * Holds SQLite's write lock on n8n's database for `ms` (another process in a transaction):
	 * n8n can read, but every write it tries meanwhile finds the database locked.
	 */
	lockDatabase(ms: number): Promise<void> {
		const script =
			"const { DatabaseSync } = require('node:sqlite');" +
			'const db = new DatabaseSync(process.argv[1]);' +
			"db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');" +
			"setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, Number(process.argv[2]));";
		const child = spawn(
			this.prepared.node24Bin,
			['--no-warnings', '-e', script, this.dbPath, String(ms)],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const released = new Promise<void>((resolve) => child.on('exit', () => resolve()));
		return new Promise<void>((resolve, reject) => {
			child.stdout!.once('data', () => resolve());
			child.on('exit', (code) =>
				reject(new Error(`the lock process exited (${code}) before locking`)),
			);
		}).then(() => {
			this.lockReleased = released;
		});
	}

	/** Resolves once the lock taken by lockDatabase() is released. */
	lockReleased: Promise<void> = Promise.resolve();

	/** Where n8n keeps its data: the SQLite file, or the PostgreSQL URL its DB_* settings name. */
	get database(): string {
		const env = this.opts.env ?? {};
		if (env.DB_TYPE !== 'postgresdb') return this.dbPath;
		const user = env.DB_POSTGRESDB_USER ?? 'postgres';
		return `postgres://${user}@${env.DB_POSTGRESDB_HOST}:${env.DB_POSTGRESDB_PORT}/${env.DB_POSTGRESDB_DATABASE ?? 'postgres'}`;
	}

	/** Runs scripts/n8n-db.mjs on this instance's database and parses its JSON answer. */
	private readDb(args: string[]): any {
		const out = execFileSync(
			this.prepared.node24Bin,
			['--no-warnings', join(SCRIPTS, 'n8n-db.mjs'), this.database, this.prepared.n8nDir, ...args],
			{ encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
		);
		return JSON.parse(out);
	}

	/** The workflow's static data as n8n last saved it in its database. */
	staticData(workflowId: string): Record<string, any> | null {
		return this.readDb(['--static-data', workflowId]);
	}

	/**
	 * All executions with id > `after`, oldest first, with their run data parsed (or, with
	 * `withData: false`, only the execution_entity columns: much cheaper for polling).
	 * Runs scripts/n8n-db.mjs under Node 24 (built-in node:sqlite; no native module needed here).
	 */
	executions(after = '0', { withData = true } = {}): Execution[] {
		return this.readDb([after, ...(withData ? [] : ['--no-data'])]);
	}

	/** Id of the newest execution so far ('0' if none): pass it as `after` to later calls. */
	mark(): string {
		const all = this.executions('0', { withData: false });
		return all.length ? all[all.length - 1].id : '0';
	}

	/**
	 * Waits until at least `count` executions after `after` have finished (n8n writes them
	 * asynchronously, after it has answered the HTTP request), then returns them with their data.
	 * Polls without the data; reads it once at the end.
	 */
	async waitForExecutions(
		count: number,
		{ after = '0', timeoutMs = 30_000 } = {},
	): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		const finished = (e: Execution & { hasData?: boolean }) =>
			!['new', 'running', 'waiting'].includes(e.status) && (e.hasData ?? Boolean(e.data));
		for (;;) {
			const got = this.executions(after, { withData: false });
			if (got.filter(finished).length >= count) return this.executions(after).filter(finished);
			if (Date.now() > deadline)
				throw new Error(
					`expected ${count} finished execution(s) after #${after}, got ${got.filter(finished).length} ` +
						`(${got.map((e) => `#${e.id}:${e.status}`).join(', ') || 'none'})\n${this.logTail}`,
				);
			await sleep(200);
		}
	}

	/** Waits `settleMs`, then returns the executions after `after` (expected: none). */
	async executionsAfterSettle(
		after: string,
		settleMs = 1500,
		{ withData = true } = {},
	): Promise<Execution[]> {
		await sleep(settleMs);
		return this.executions(after, { withData });
	}

	/**
	 * What n8n stored for one execution, in bytes: its data row (execution_data.data as
	 * serialized) plus the files of the binary data it kept outside the database (each counted
	 * once, however many nodes pass it on).
	 */
	storedBytes(exec: Execution): { data: number; files: number } {
		const query =
			"const { DatabaseSync } = require('node:sqlite');" +
			'const db = new DatabaseSync(process.argv[1], { readOnly: true });' +
			"const row = db.prepare('SELECT length(CAST(data AS BLOB)) AS n FROM execution_data WHERE executionId = ?').get(Number(process.argv[2]));" +
			'process.stdout.write(String(row ? row.n : 0));';
		const data = Number(
			execFileSync(this.prepared.node24Bin, ['--no-warnings', '-e', query, this.dbPath, exec.id], {
				encoding: 'utf8',
			}),
		);
		const binaries = new Map<string, StoredBinary>();
		for (const runs of Object.values(exec.data?.resultData?.runData ?? {}) as any[]) {
			for (const output of runs[0]?.data?.main ?? []) {
				for (const item of output ?? []) {
					for (const bin of Object.values(item.binary ?? {}) as StoredBinary[]) {
						if (bin.id) binaries.set(bin.id, bin); // inline (1.x default mode) is in `data`
					}
				}
			}
		}
		let files = 0;
		for (const bin of binaries.values()) files += this.binaryBuffer(bin).length;
		return { data, files };
	}

	/** The bytes of a stored binary, wherever this n8n version put them. */
	binaryBuffer(bin: StoredBinary): Buffer {
		if (!bin.id) return Buffer.from(bin.data, 'base64'); // 'default' mode: inline base64
		const sep = bin.id.indexOf(':');
		const mode = bin.id.slice(0, sep);
		const fileId = bin.id.slice(sep + 1);
		if (mode === 'database') {
			const base64 = this.readDb(['--binary', fileId]);
			if (base64 === null) throw new Error(`binary ${bin.id} not found in ${this.database}`);
			return Buffer.from(base64, 'base64');
		}
		if (!mode.startsWith('filesystem')) throw new Error(`cannot read binary data in mode ${mode}`);
		// 2.x: <user>/.n8n/storage (N8N_STORAGE_PATH); 1.x: <user>/.n8n/binaryData.
		const n8nFolder = join(this.userFolder, '.n8n');
		const roots = [
			this.prepared.env.N8N_STORAGE_PATH,
			this.prepared.env.N8N_BINARY_DATA_STORAGE_PATH,
			join(n8nFolder, 'storage'),
			join(n8nFolder, 'binaryData'),
		].filter(Boolean) as string[];
		for (const root of roots) {
			const p = join(root, fileId);
			if (existsSync(p)) return readFileSync(p);
		}
		throw new Error(`binary ${bin.id} not found under ${roots.join(', ')}`);
	}
}

/** Items per output index that node `nodeName` produced in the execution (first run). */
export function nodeOutputs(exec: Execution, nodeName: string): NodeOutputs {
	const runs = exec.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run in execution #${exec.id}`);
	const main: Array<StoredItem[] | null> = runs[0].data?.main ?? [];
	return main.map((items) => items ?? []);
}

/** The error an execution ended with, if any (message only). */
export function executionError(exec: Execution): string | undefined {
	return exec.data?.resultData?.error?.message;
}
