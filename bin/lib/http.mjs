// The two network pieces of send-sample: a short-lived file server for iLink's attachment URLs,
// and the POST of the delivery with exactly the headers the sender uses.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** A host name or address as it goes into a URL (IPv6 literals need brackets). */
function urlHost(host) {
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Serves the given files under unguessable paths shaped like iLink's
 * (`/ilink-api/file/<token>`), on 127.0.0.1 unless an advertised host is given (then on all
 * interfaces, so that an n8n elsewhere can reach it). Resolves once listening.
 */
export async function startFileServer({ files, advertisedHost, port = 0, log = () => {} }) {
	const byPath = new Map();
	const routes = {};
	for (const [kind, file] of Object.entries(files)) {
		const path = `/ilink-api/file/${randomBytes(24).toString('hex')}`;
		byPath.set(path, { kind, ...file });
		routes[kind] = path;
	}
	const served = [];
	const server = http.createServer((request, response) => {
		const file =
			request.method === 'GET' || request.method === 'HEAD'
				? byPath.get(request.url.split('?')[0])
				: undefined;
		if (!file) {
			response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
			return;
		}
		served.push(file.kind);
		log(`served the sample ${file.kind.toUpperCase()} to ${request.socket.remoteAddress}`);
		response.writeHead(200, {
			'Content-Type': file.contentType,
			'Content-Length': file.content.length,
			'Content-Disposition': `attachment; filename="${file.fileName}"`,
			'Cache-Control': 'no-store',
		});
		response.end(request.method === 'HEAD' ? undefined : file.content);
	});
	const bindHost = !advertisedHost || LOOPBACK.has(advertisedHost) ? '127.0.0.1' : '0.0.0.0';
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, bindHost, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const base = `http://${urlHost(advertisedHost ?? '127.0.0.1')}:${server.address().port}`;
	const urls = Object.fromEntries(
		Object.entries(routes).map(([kind, path]) => [kind, `${base}${path}`]),
	);
	return {
		urls,
		served,
		bindHost,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections?.();
			}),
	};
}

export class NetworkError extends Error {}

const NETWORK_MESSAGES = {
	ECONNREFUSED: 'connection refused. Is n8n running at that address and port?',
	ENOTFOUND: 'host not found. Check the host name in --url.',
	EAI_AGAIN: 'host name lookup failed (temporary DNS failure).',
	ECONNRESET: 'the connection was reset before n8n answered.',
	EHOSTUNREACH: 'host unreachable.',
	ENETUNREACH: 'network unreachable.',
	ETIMEDOUT: 'the connection timed out.',
};

function describeNetworkError(error, url) {
	const where = `${url.protocol}//${url.host}`;
	const known = NETWORK_MESSAGES[error.code];
	if (known) return `could not reach ${where}: ${known}`;
	if (
		typeof error.code === 'string' &&
		(error.code.startsWith('ERR_TLS') || error.code.includes('CERT') || error.code === 'EPROTO')
	) {
		return `TLS error talking to ${where}: ${error.message}`;
	}
	return `request to ${where} failed: ${error.message}`;
}

/**
 * POSTs the JSON body with exactly these headers (plus Host, Content-Length and Connection,
 * which every HTTP client sends). Resolves with the status and the body text; rejects with a
 * NetworkError whose message is fit to show.
 */
export function postJson(url, headers, body, timeoutMs) {
	const data = Buffer.from(body, 'utf8');
	const client = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = client.request(
			url,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Length': data.length },
				timeout: timeoutMs,
			},
			(response) => {
				const chunks = [];
				let size = 0;
				response.on('data', (chunk) => {
					size += chunk.length;
					if (size <= 256 * 1024) chunks.push(chunk);
				});
				response.on('end', () =>
					resolve({
						status: response.statusCode,
						headers: response.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				response.on('error', (error) => reject(new NetworkError(describeNetworkError(error, url))));
			},
		);
		request.on('timeout', () => {
			request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
		});
		request.on('error', (error) => {
			if (error.code === 'TIMEOUT') {
				reject(
					new NetworkError(
						`no answer from ${url.protocol}//${url.host} within ${timeoutMs / 1000} s (see --timeout).`,
					),
				);
			} else {
				reject(new NetworkError(describeNetworkError(error, url)));
			}
		});
		request.end(data);
	});
}
