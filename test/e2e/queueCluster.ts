/**
 * n8n in queue mode on one machine, started and stopped by the tests: PostgreSQL (the database),
 * Redis (the job queue), n8n's main process, webhook processors (`n8n webhook`) behind an nginx
 * load balancer (round-robin), and workers (`n8n worker`). PostgreSQL, Redis and nginx are
 * Debian's packages (`.ci/run` installs them); every process listens on a free 127.0.0.1 port
 * and runs under a watchdog, so nothing outlives the test process.
 *
 * Each n8n process is an N8nInstance (harness.ts) with this package installed from its tarball
 * into its own user folder, as on separate machines; they share the database, Redis and the
 * encryption key. Binary data uses n8n's `database` mode, so a file a webhook processor received
 * is readable by the worker that runs the execution.
 *
 *   const cluster = await QueueCluster.start({ version: '2.40.7', tarball, credentials, workflows,
 *                                              webhookPaths, webhookProcessors: 2, workers: 1 });
 *   await fetch(cluster.url('/webhook/<webhookId>/<path>'), { method: 'POST', ... }); // via nginx
 *   await cluster.main.waitForExecutions(1, { after: mark });
 *   await cluster.stop();
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	type CredentialSpec,
	freePort,
	N8nInstance,
	spawnWatchdog,
	type WorkflowSpec,
} from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL refuses to run as root: as root (this machine, .ci/run) its processes run as this
 * unprivileged user; as anyone else (a GitHub runner) as that user.
 */
const SERVICE_USER = 'nobody';

function serviceUser(): { uid: number; gid: number } {
	const self = { uid: process.getuid!(), gid: process.getgid!() };
	return self.uid === 0 ? userIds(SERVICE_USER) : self;
}

function userIds(name: string): { uid: number; gid: number } {
	const id = (flag: string) =>
		Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/** The newest PostgreSQL server Debian installed (/usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!majors.length)
		throw new Error(
			'PostgreSQL server not found under /usr/lib/postgresql: apt-get install postgresql (see .ci/run)',
		);
	return join(root, majors[0], 'bin');
}

function which(command: string, hint: string): string {
	for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/bin']) {
		if (existsSync(join(dir, command))) return join(dir, command);
	}
	throw new Error(`${command} not found: ${hint} (see .ci/run)`);
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
async function waitForPort(port: number, isDead: () => boolean, what: string, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (isDead()) throw new Error(`${what} exited during start-up`);
		const open = await new Promise<boolean>((res) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				res(true);
			});
			socket.once('error', () => res(false));
		});
		if (open) return;
		await sleep(100);
	}
	throw new Error(`${what} not listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** A server process in its own process group, with its output kept for failure messages. */
class Service {
	private exited = false;
	private output = '';

	private constructor(
		readonly name: string,
		private readonly child: ChildProcess,
		removeOnAbort: string | undefined,
	) {
		const keep = (b: Buffer) => (this.output = (this.output + b.toString()).slice(-4000));
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		child.on('exit', () => (this.exited = true));
		// The watchdog kills the group if the test process dies without running afterAll.
		spawnWatchdog(process.execPath, child.pid!, removeOnAbort);
	}

	static spawn(
		name: string,
		command: string,
		args: string[],
		{
			removeOnAbort,
			...options
		}: { uid?: number; gid?: number; cwd?: string; removeOnAbort?: string } = {},
	): Service {
		const child = spawn(command, args, {
			...options,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		return new Service(name, child, removeOnAbort);
	}

	get dead() {
		return this.exited;
	}

	/** Freezes the service's processes (SIGSTOP) for `ms`, then lets them go on (SIGCONT). */
	async pause(ms: number) {
		process.kill(-this.child.pid!, 'SIGSTOP');
		try {
			await sleep(ms);
		} finally {
			process.kill(-this.child.pid!, 'SIGCONT');
		}
	}

	logs() {
		return this.output;
	}

	/** SIGTERM to the group, SIGKILL after `graceMs`. */
	async stop(graceMs = 10_000) {
		if (this.exited || !this.child.pid) return;
		try {
			process.kill(-this.child.pid, 'SIGTERM');
		} catch {
			return; // already gone
		}
		const deadline = Date.now() + graceMs;
		while (!this.exited && Date.now() < deadline) await sleep(50);
		try {
			process.kill(-this.child.pid, 'SIGKILL');
		} catch {
			// group empty
		}
	}
}

export interface QueueClusterOptions {
	version: string;
	tarball: string;
	credentials: CredentialSpec[];
	workflows: WorkflowSpec[];
	/** Production webhook paths every webhook processor must serve before start() resolves. */
	webhookPaths: string[];
	webhookProcessors: number;
	workers: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Also a second nginx port whose only upstream is the first webhook processor (bench). */
	soloUpstream?: boolean;
}

export class QueueCluster {
	readonly webhookProcessors: N8nInstance[] = [];
	readonly workers: N8nInstance[] = [];
	main!: N8nInstance;
	/** nginx's port: the address senders use. */
	port = 0;
	/** nginx's port to the first webhook processor alone (with `soloUpstream`). */
	soloPort = 0;
	private services: Service[] = [];
	private readonly folder = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	private env: Record<string, string> = {};

	private constructor(private readonly opts: QueueClusterOptions) {}

	/** PostgreSQL, Redis, n8n main, webhook processors and workers, nginx; in that order. */
	static async start(opts: QueueClusterOptions): Promise<QueueCluster> {
		const cluster = new QueueCluster(opts);
		try {
			await cluster.startStores();
			cluster.main = await N8nInstance.start({
				version: opts.version,
				tarball: opts.tarball,
				credentials: opts.credentials,
				workflows: opts.workflows,
				env: cluster.env,
				// The main process runs migrations and activates the workflows (registering their
				// webhooks in the database for the webhook processors); it answers none itself.
				webhookPaths: [],
			});
			const starting = [
				...Array.from({ length: opts.workers }, () =>
					cluster.startN8n('worker', []).then((w) => cluster.workers.push(w)),
				),
				...Array.from({ length: opts.webhookProcessors }, () =>
					cluster
						.startN8n('webhook', opts.webhookPaths)
						.then((w) => cluster.webhookProcessors.push(w)),
				),
			];
			// allSettled: whatever did start is in the lists, so stop() below reaches it.
			const failed = (await Promise.allSettled(starting)).find((r) => r.status === 'rejected');
			if (failed) throw (failed as PromiseRejectedResult).reason;
			await cluster.startLoadBalancer();
			return cluster;
		} catch (e) {
			await cluster.stop();
			throw e;
		}
	}

	/** The queue-mode settings every n8n process gets (RELIABILITY.md shows the same). */
	private queueEnv(pgPort: number, redisPort: number): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_DATABASE: 'postgres',
			// n8n pings its database every 2 s and answers 503 "Database is not ready!" until the next
			// good ping when one takes over 5 s. With the default pool of 2 connections the ping waits
			// behind a burst (seen with 50 requests in flight); on a 2-core host shared with other
			// test runs (load average 25) it timed out even with 10. Neither is the triggers' doing.
			DB_POSTGRESDB_POOL_SIZE: '10',
			DB_PING_TIMEOUT_MS: '30000',
			// Every process must decrypt the credentials the main process imported.
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64url'),
			// Files received by a webhook processor are stored in PostgreSQL, readable by any worker
			// (2.40.7's default in queue mode; set explicitly so the tests do not depend on it).
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Production webhooks go to the webhook processors only.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			...(this.opts.env ?? {}),
		};
	}

	private async startStores() {
		const user = serviceUser();
		// PostgreSQL: a throw-away cluster in a temp folder owned by the unprivileged user; trust
		// authentication, loopback only; durability settings off (test data only).
		const pgData = join(this.folder, 'pg');
		execFileSync('mkdir', ['-p', pgData]);
		chownSync(this.folder, user.uid, user.gid);
		chownSync(pgData, user.uid, user.gid);
		const bin = postgresBinDir();
		execFileSync(
			join(bin, 'initdb'),
			['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
			{ ...user, cwd: this.folder, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		const pgPort = await freePort();
		const pg = Service.spawn(
			'postgres',
			join(bin, 'postgres'),
			[
				'-D',
				pgData,
				'-p',
				String(pgPort),
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				`unix_socket_directories=${pgData}`,
				'-c',
				'fsync=off',
				'-c',
				'synchronous_commit=off',
				'-c',
				'full_page_writes=off',
				'-c',
				'max_connections=200',
			],
			// The cluster's folder goes with the first service if the tests die without stop().
			{ ...user, cwd: this.folder, removeOnAbort: this.folder },
		);
		this.services.push(pg);
		await waitForPort(pgPort, () => pg.dead, `postgres (${pg.logs()})`);

		const redisPort = await freePort();
		const redisDir = join(this.folder, 'redis');
		execFileSync('mkdir', ['-p', redisDir]);
		chownSync(redisDir, user.uid, user.gid);
		const redis = Service.spawn(
			'redis',
			which('redis-server', 'apt-get install redis-server'),
			[
				'--port',
				String(redisPort),
				'--bind',
				'127.0.0.1',
				'--dir',
				redisDir,
				'--save',
				'',
				'--appendonly',
				'no',
			],
			{ ...user, cwd: redisDir },
		);
		this.services.push(redis);
		await waitForPort(redisPort, () => redis.dead, `redis (${redis.logs()})`);
		this.env = this.queueEnv(pgPort, redisPort);
	}

	private startN8n(command: 'webhook' | 'worker', webhookPaths: string[]) {
		return N8nInstance.start({
			version: this.opts.version,
			tarball: this.opts.tarball,
			command,
			env: this.env,
			webhookPaths,
		});
	}

	/** nginx, round-robin over the webhook processors; everything else goes to the main process. */
	private async startLoadBalancer() {
		const dir = join(this.folder, 'nginx');
		execFileSync('mkdir', ['-p', dir]);
		this.port = await freePort();
		if (this.opts.soloUpstream) this.soloPort = await freePort();
		const upstreams = this.webhookProcessors.map((w) => `    server 127.0.0.1:${w.port};`);
		const conf = join(dir, 'nginx.conf');
		writeFileSync(
			conf,
			`# Written by test/e2e/queueCluster.ts (RELIABILITY.md, "Queue mode", shows the same).
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 16m;
  upstream n8n_webhook_processors {
${upstreams.join('\n')}
  }
  upstream n8n_first_webhook_processor {
    server 127.0.0.1:${this.webhookProcessors[0].port};
  }
  server {
    listen 127.0.0.1:${this.port};
${this.opts.soloUpstream ? `    listen 127.0.0.1:${this.soloPort};\n` : ''}    set $upstream n8n_webhook_processors;
${this.opts.soloUpstream ? `    if ($server_port = ${this.soloPort}) { set $upstream n8n_first_webhook_processor; }\n` : ''}    location /webhook/ {
      proxy_pass http://$upstream;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 300s;
      # Which webhook processor answered (the tests check that both take part).
      add_header X-Upstream $upstream_addr always;
    }
    location / {
      proxy_pass http://127.0.0.1:${this.main.port};
    }
  }
}
`,
		);
		const nginx = Service.spawn('nginx', which('nginx', 'apt-get install nginx-light'), [
			'-p',
			dir,
			'-c',
			conf,
		]);
		this.services.push(nginx);
		await waitForPort(this.port, () => nginx.dead, `nginx (${nginx.logs()})`);
	}

	/** Absolute URL through the load balancer. */
	url(path: string) {
		return `http://127.0.0.1:${this.port}${path.startsWith('/') ? '' : '/'}${path}`;
	}

	/** Freezes PostgreSQL for `ms`: every n8n process's queries wait (fault tests). */
	async pauseDatabase(ms: number) {
		const postgres = this.services.find((service) => service.name === 'postgres');
		if (!postgres) throw new Error('PostgreSQL is not running');
		await postgres.pause(ms);
	}

	/** Absolute URL through nginx to the first webhook processor only (with `soloUpstream`). */
	soloUrl(path: string) {
		return `http://127.0.0.1:${this.soloPort}${path.startsWith('/') ? '' : '/'}${path}`;
	}

	/** Everything the n8n processes printed since their last start, for failure messages. */
	logs() {
		return [this.main, ...this.webhookProcessors, ...this.workers]
			.filter(Boolean)
			.map((n) => `--- ${n.command} ${n.port}\n${n.logs().slice(-2000)}`)
			.join('\n');
	}

	/** Stops everything that started, n8n first, then nginx, Redis, PostgreSQL. */
	async stop() {
		const n8ns = [...this.webhookProcessors, ...this.workers, this.main].filter(Boolean);
		await Promise.all(n8ns.map((n) => n.stop().catch(() => undefined)));
		for (const service of [...this.services].reverse()) await service.stop();
		this.services = [];
		if (process.env.E2E_KEEP !== '1') rmSync(this.folder, { recursive: true, force: true });
	}
}
