/**
 * Helpers for the CLI tests: run bin/n8n-nodes-ilink-invoicy.mjs as a child process, and a
 * local capture server that records what the CLI sends and answers as the test says (for
 * example by handing the delivery to the real node through deliver()).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'n8n-nodes-ilink-invoicy.mjs');
export const SAMPLE_PDF = readFileSync(join(ROOT, 'samples', 'sample-invoice.pdf'));
export const SAMPLE_UBL = readFileSync(join(ROOT, 'samples', 'sample-invoice.xml'));
export const SAMPLE_NFSE_XML = readFileSync(join(ROOT, 'samples', 'sample-nfse.xml'));

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the CLI asynchronously (the capture server lives in this process, so never spawnSync). */
export function runCli(args: string[], timeoutMs = 20_000): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill();
			reject(
				new Error(
					`CLI did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
				),
			);
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** The document id the CLI printed ("document id <id>, number ..."). */
export function printedId(result: CliResult): string {
	const match = /document id (\S+), number ([^\n]+?)(?: to |;|\n|$)/.exec(result.stderr);
	if (!match) throw new Error(`no document id printed:\n${result.stderr}`);
	return match[1];
}

export function printedNumber(result: CliResult): string {
	const match = /document id \S+, number (.+?)(?: to http|;)/.exec(result.stderr);
	if (!match) throw new Error(`no document number printed:\n${result.stderr}`);
	return match[1];
}

export interface Captured {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	bodyText: string;
	body: any;
}

export interface Answer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface CaptureServer {
	url(path?: string): string;
	requests: Captured[];
	close(): Promise<void>;
}

/** A local HTTP server that records each request and answers with `respond` (default 200). */
export async function captureServer(
	respond: (captured: Captured) => Answer | Promise<Answer> = () => ({
		status: 200,
		body: { message: 'Workflow was started' },
	}),
): Promise<CaptureServer> {
	const requests: Captured[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', async () => {
			const bodyText = Buffer.concat(chunks).toString('utf8');
			let body: unknown;
			try {
				body = JSON.parse(bodyText);
			} catch {
				body = undefined;
			}
			const captured: Captured = {
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				bodyText,
				body,
			};
			requests.push(captured);
			let answer: Answer;
			try {
				answer = await respond(captured);
			} catch (error) {
				answer = { status: 599, body: { error: String(error) } };
			}
			const text =
				typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
			response.writeHead(answer.status, {
				'Content-Type': 'application/json',
				...(answer.headers ?? {}),
			});
			response.end(text);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (path = '/webhook-test/5f1b6a3e-0000-4000-8000-000000000001/ilink-new-document') =>
			`http://127.0.0.1:${port}${path}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** The request as deliver() takes it: the body text and headers exactly as captured. */
export function asDelivery(captured: Captured) {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(captured.headers)) {
		if (typeof value === 'string' && name !== 'content-type' && name !== 'content-length')
			headers[name] = value;
	}
	return {
		body: captured.bodyText,
		contentType: captured.headers['content-type'] ?? null,
		headers,
	};
}
