/**
 * A minimal SMTP server on 127.0.0.1 that accepts every message (no TLS, no auth) and keeps it,
 * so that example workflows ending in n8n's Send Email node can run for real in the e2e suite.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface SmtpStub {
	port: number;
	/** Raw messages (headers and MIME body) received so far. */
	messages: string[];
	close(): Promise<void>;
}

export async function startSmtpStub(): Promise<SmtpStub> {
	const messages: string[] = [];
	const server: Server = createServer((socket) => {
		let buffer = '';
		let inData = false;
		socket.write('220 stub.local ESMTP\r\n');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('latin1');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					messages.push(buffer.slice(0, end));
					buffer = buffer.slice(end + 5);
					inData = false;
					socket.write('250 OK queued\r\n');
					continue;
				}
				const lineEnd = buffer.indexOf('\r\n');
				if (lineEnd < 0) return;
				const command = buffer.slice(0, lineEnd).toUpperCase();
				buffer = buffer.slice(lineEnd + 2);
				if (command.startsWith('EHLO') || command.startsWith('HELO'))
					socket.write('250 stub.local\r\n');
				else if (command.startsWith('DATA')) {
					inData = true;
					socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
				} else if (command.startsWith('QUIT')) {
					socket.end('221 Bye\r\n');
					return;
				} else socket.write('250 OK\r\n');
			}
		});
		socket.on('error', () => socket.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		messages,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** The decoded attachments of a MIME message: file name and bytes. */
export function attachmentsOf(message: string): Array<{ fileName: string; content: Buffer }> {
	const parts = message.split(/\r\n--[^\r\n]+\r\n/);
	const found: Array<{ fileName: string; content: Buffer }> = [];
	for (const part of parts) {
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd < 0) continue;
		const headers = part.slice(0, headerEnd).replace(/\r\n[ \t]+/g, ' ');
		const name = /filename="?([^";\r\n]+)"?/i.exec(headers);
		if (!name || !/content-transfer-encoding:\s*base64/i.test(headers)) continue;
		const body = part.slice(headerEnd + 4).replace(/\r\n--[^\r\n]*--\s*$/, '');
		found.push({
			fileName: name[1],
			content: Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'),
		});
	}
	return found;
}
