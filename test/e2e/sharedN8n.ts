/**
 * One real n8n per version, shared by the end-to-end specs of `npm test` (test/e2e/suite.test.ts):
 * each spec says what n8n must hold (credentials, workflows, settings) and starts what its
 * workflows call (stubs, file servers); the suite starts n8n once with all of it. Specs stay
 * apart by their own workflows, webhook paths and execution marks, not by an n8n of their own:
 * one n8n start costs more than most specs' tests.
 *
 * A spec module:
 *
 *   export const mySpec: E2eSpec = {
 *     title: 'what it covers',
 *     define(suite) {
 *       let n8n: N8nInstance;
 *       suite.needs(async () => ({ workflows: [...], webhookPaths: [...] }));
 *       beforeAll(() => (n8n = suite.n8n));
 *       it('...', async () => { ... n8n.url(...) ... });
 *     },
 *   };
 */
import type { CredentialSpec, N8nInstance, WorkflowSpec } from './harness';

/** What one spec needs from the shared n8n, and how to stop what it started for it. */
export interface SpecNeeds {
	credentials?: CredentialSpec[];
	workflows?: WorkflowSpec[];
	/** Production webhook paths that must answer before the specs run. */
	webhookPaths?: string[];
	/** n8n settings; two specs asking for different values of one setting is an error. */
	env?: Record<string, string>;
	close?: () => Promise<void> | void;
}

export interface E2eSpec {
	/** The describe block's title. */
	title: string;
	/** The n8n major lines it runs on ('1', '2'); default: every tested version. */
	lines?: string[];
	/** Declares the spec's tests; called once per n8n version while jest collects the tests. */
	define(suite: SharedN8n): void;
}

export class SharedN8n {
	private readonly setUps: Array<() => Promise<SpecNeeds>> = [];
	private readonly closers: Array<() => Promise<void> | void> = [];
	private instance: N8nInstance | undefined;

	constructor(readonly version: string) {}

	/** Registers a spec's set-up; the suite runs it before n8n starts. */
	needs(setUp: () => Promise<SpecNeeds>): void {
		this.setUps.push(setUp);
	}

	/** The running n8n (from the suite's beforeAll on). */
	get n8n(): N8nInstance {
		if (!this.instance) throw new Error(`the shared n8n ${this.version} has not started`);
		return this.instance;
	}

	/** Runs every spec's set-up, then starts n8n with what they all need. */
	async start(startN8n: (needs: Required<Omit<SpecNeeds, 'close'>>) => Promise<N8nInstance>) {
		const all = { credentials: [], workflows: [], webhookPaths: [], env: {} } as Required<
			Omit<SpecNeeds, 'close'>
		>;
		for (const setUp of this.setUps) {
			const { close, ...needs } = await setUp();
			if (close) this.closers.push(close);
			all.credentials.push(...(needs.credentials ?? []));
			all.workflows.push(...(needs.workflows ?? []));
			all.webhookPaths.push(...(needs.webhookPaths ?? []));
			for (const [name, value] of Object.entries(needs.env ?? {})) {
				if (name in all.env && all.env[name] !== value)
					throw new Error(`two specs set ${name} differently (${all.env[name]}, ${value})`);
				all.env[name] = value;
			}
		}
		for (const [kind, list] of [
			['credential', all.credentials],
			['workflow', all.workflows],
		] as const) {
			const ids = list.map((entry) => entry.id);
			const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
			if (repeated.length)
				throw new Error(`two specs use the ${kind} id(s) ${repeated.join(', ')}`);
		}
		this.instance = await startN8n(all);
	}

	async stop(): Promise<void> {
		await this.instance?.stop();
		for (const close of this.closers.splice(0)) await close();
	}
}
