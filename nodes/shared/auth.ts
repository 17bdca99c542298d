import { hash, timingSafeEqual } from 'node:crypto';

/** What the sender must put in the `Authorization` header, built from the node's credential. */
export type ExpectedAuthorization =
	| { scheme: 'Bearer'; token: string }
	| { scheme: 'Basic'; user: string; password: string };

const AUTHORIZATION_HEADER = /^\s*(\S+)\s+(.*?)\s*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Compares two secrets in constant time. Hashing both first gives equal-length inputs to
 * timingSafeEqual, so neither the content nor the length of the expected secret leaks.
 */
export function secretsEqual(received: string | Buffer, expected: string | Buffer): boolean {
	const a = Buffer.from(hash('sha256', received, 'hex'), 'hex');
	const b = Buffer.from(hash('sha256', expected, 'hex'), 'hex');
	return timingSafeEqual(a, b);
}

/**
 * True when the `Authorization` header carries the expected credential. The scheme word is
 * matched case-insensitively and surrounding spaces are tolerated. A missing, repeated or
 * malformed header is simply not authorized; the caller answers every such case the same way.
 */
export function isAuthorized(header: unknown, expected: ExpectedAuthorization): boolean {
	if (typeof header !== 'string') return false;
	const match = AUTHORIZATION_HEADER.exec(header);
	if (!match) return false;
	const [, scheme, credentials] = match;
	if (scheme.toLowerCase() !== expected.scheme.toLowerCase() || credentials === '') return false;

	if (expected.scheme === 'Bearer') return secretsEqual(credentials, expected.token);

	if (!BASE64.test(credentials)) return false;
	return secretsEqual(
		Buffer.from(credentials, 'base64'),
		Buffer.from(`${expected.user}:${expected.password}`, 'utf8'),
	);
}

/** The `WWW-Authenticate` challenge sent with a 401. */
export function challenge(scheme: ExpectedAuthorization['scheme'], realm: string): string {
	return scheme === 'Basic' ? `Basic realm="${realm}", charset="UTF-8"` : `Bearer realm="${realm}"`;
}
