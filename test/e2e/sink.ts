/** A local HTTP service (127.0.0.1, random port) that the e2e workflows hand documents to. */
import { createServer, type Server } from 'node:http';

/**
 * The local service the "When Workflow Finishes" workflow hands each document to. It fails (500)
 * the first time it sees a document and accepts (200) afterwards, counting accepted processings.
 */
export async function startSink() {
	const attempts = new Map<string, number>();
	const processed = new Map<string, number>();
	const server: Server = createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			let id = '';
			try {
				id = String(JSON.parse(data).documentId ?? '');
			} catch {
				// counted under ''
			}
			const n = (attempts.get(id) ?? 0) + 1;
			attempts.set(id, n);
			if (n === 1) {
				res
					.writeHead(500, { 'content-type': 'application/json' })
					.end('{"error":"sink: failing the first time"}');
				return;
			}
			processed.set(id, (processed.get(id) ?? 0) + 1);
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	return { server, url: `http://127.0.0.1:${port}/process`, attempts, processed };
}
