/** A local HTTP server (127.0.0.1, random port) that serves attachment bytes and records requests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
	status?: number;
	contentType?: string;
	body: Buffer | string;
}

export interface FileServer {
	url(path: string): string;
	/** Paths requested so far, in order. */
	requests: string[];
	close(): Promise<void>;
}

export async function startFileServer(files: Record<string, ServedFile>): Promise<FileServer> {
	const requests: string[] = [];
	const server: Server = createServer((req, res) => {
		requests.push(req.url ?? '');
		const file = files[req.url ?? ''];
		if (!file) {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('not found');
			return;
		}
		res.writeHead(file.status ?? 200, {
			'content-type': file.contentType ?? 'application/octet-stream',
		});
		res.end(file.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

/** A port on 127.0.0.1 that nothing listens on (a server was opened there and closed). */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
