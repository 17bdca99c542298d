/**
 * The sender side of the load tests (reliability.test.ts, queue.test.ts): distinct iLink
 * deliveries, a bounded number of requests in flight, answer times and their percentiles.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { samplePath } from '../helpers/fixtures';
import { RELIABILITY_KEY } from './reliabilityWorkflows';

const SAMPLE = JSON.parse(readFileSync(samplePath('ilink-new-document'), 'utf8'));
export const HEADERS = {
	'content-type': 'application/json',
	authorization: `Bearer ${RELIABILITY_KEY}`,
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A distinct iLink new-document delivery. */
export function documentBody(id: string, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({ ...SAMPLE, id, number: `FT 2025/${id}`, ...extra });
}

export interface Answer {
	label: string;
	status: number;
	ms: number;
	text: string;
}

export interface Request {
	label: string;
	url: string;
	body: string;
	headers?: Record<string, string>;
}

/**
 * Requests in flight, aborted after each test (abortInFlight in afterEach), so that a test that
 * fails or times out half-way does not keep sending into the next one and spoil its execution
 * count. One controller per request: fetch leaves its abort listener on the signal until garbage
 * collection, so a shared signal collects thousands of them (MaxListenersExceededWarning).
 */
const inFlight = new Set<AbortController>();
/** Bumped by abortInFlight: a sendAll started before it sends nothing more. */
let generation = 0;

export function abortInFlight() {
	generation++;
	for (const controller of inFlight) controller.abort();
	inFlight.clear();
}

export async function send(r: Request): Promise<Answer> {
	const t0 = performance.now();
	const controller = new AbortController();
	inFlight.add(controller);
	try {
		const res = await fetch(r.url, {
			method: 'POST',
			headers: r.headers ?? HEADERS,
			body: r.body,
			signal: controller.signal,
		});
		const text = await res.text();
		return { label: r.label, status: res.status, ms: performance.now() - t0, text };
	} catch (e) {
		return {
			label: r.label,
			status: -1,
			ms: performance.now() - t0,
			text: String((e as Error).cause ?? e),
		};
	} finally {
		inFlight.delete(controller);
	}
}

/** Sends every request with at most `concurrency` in flight; answers in request order. */
export async function sendAll(
	requests: Request[],
	concurrency: number,
): Promise<{ answers: Answer[]; wallMs: number }> {
	const answers: Answer[] = new Array(requests.length);
	let next = 0;
	const started = generation;
	const t0 = performance.now();
	const worker = async () => {
		for (;;) {
			const i = next++;
			if (i >= requests.length || generation !== started) return;
			answers[i] = await send(requests[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
	return { answers: answers.filter(Boolean), wallMs: performance.now() - t0 };
}

/** One line for a test's failure message or figures: label, status, the start of the answer. */
export const answerLine = (a: Answer) => `${a.label}: ${a.status} ${a.text.slice(0, 200)}`;

/** No answer at all: the connection dropped or was refused before any HTTP status came back. */
export const noAnswer = (a: Answer) => a.status === -1;

/**
 * Sends every request as sendAll does, then, as iLink does, delivers again those whose answer
 * `notNow` says was "not now" (at most 5 more times, 2 s apart), never a 4xx or 500, which the
 * test must see. A dropped connection is one: on a busy machine undici can reuse a keep-alive
 * socket n8n has just closed, and the delivery fails with "other side closed" before reaching
 * n8n. Returns the final answers, the first round's wall time, and what needed another attempt.
 */
export async function sendAllUntilTaken(
	requests: Request[],
	concurrency: number,
	notNow: (a: Answer) => boolean = noAnswer,
): Promise<{ answers: Answer[]; wallMs: number; redelivered: string[] }> {
	const { answers, wallMs } = await sendAll(requests, concurrency);
	const redelivered: string[] = [];
	for (let attempt = 0; attempt < 5 && answers.some(notNow); attempt++) {
		await sleep(2000);
		const again = answers.flatMap((a, i) => (notNow(a) ? [i] : []));
		redelivered.push(...again.map((i) => answerLine(answers[i])));
		const second = await sendAll(
			again.map((i) => requests[i]),
			concurrency,
		);
		again.forEach((i, k) => (answers[i] = second.answers[k]));
	}
	return { answers, wallMs, redelivered };
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Figures {
	requests: number;
	concurrency: number;
	wallMs: number;
	perSecond: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	/** From the first request sent until n8n had finished the last execution. */
	untilAllExecutedMs?: number;
	statuses: Record<string, number>;
}

export function figures(answers: Answer[], wallMs: number, concurrency: number): Figures {
	const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
	const statuses: Record<string, number> = {};
	for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
	const round = (n: number) => Math.round(n * 10) / 10;
	return {
		requests: answers.length,
		concurrency,
		wallMs: Math.round(wallMs),
		perSecond: round((answers.length / wallMs) * 1000),
		p50: round(percentile(ms, 50)),
		p95: round(percentile(ms, 95)),
		p99: round(percentile(ms, 99)),
		max: round(ms[ms.length - 1] ?? 0),
		statuses,
	};
}

/** Statuses that are not the expected one, with a sample of answers, for a readable failure. */
export function unexpected(answers: Answer[], status: number) {
	const bad = answers.filter((a) => a.status !== status);
	return {
		count: bad.length,
		sample: bad.slice(0, 5).map(answerLine),
	};
}

/**
 * Waits until n8n routes POSTs to the webhook: a request without credentials is answered 401 by
 * the node (and starts nothing). start()/restart() can resolve while POST still gets 404 "not
 * registered" on a loaded machine (seen with 2.40.7: 64 of the first 1,000 deliveries).
 */
export async function untilRouted(url: string, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	let last = 0;
	while (Date.now() < deadline) {
		last = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		})
			.then((r) => r.status)
			.catch(() => -1);
		if (last === 401) return;
		await sleep(250);
	}
	throw new Error(`webhook ${url} still answers ${last} after ${timeoutMs} ms`);
}
