import { hash, timingSafeEqual } from 'node:crypto';

/**
 * What the sender must put in the `Authorization` header, built from the node's credential: a
 * token after the scheme word, exactly as given (Bearer, or Basic with whatever a sender's user
 * typed), or Basic with base64 of `user:password`.
 */
export type ExpectedAuthorization =
	| { scheme: 'Bearer' | 'Basic'; token: string }
	| { scheme: 'Basic'; user: string; password: string };

// HTTP allows only spaces and tabs around header parts (not every Unicode space: a UTF-8 secret
// can end in byte 0xA0, which reads as a no-break space).
const AUTHORIZATION_HEADER = /^[ \t]*([^ \t]+)[ \t]+(.*?)[ \t]*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Compares two secrets, as bytes, in constant time. Hashing both first gives equal-length
 * inputs to timingSafeEqual, so neither the content nor the length of the expected secret leaks.
 */
export function secretsEqual(received: Buffer, expected: Buffer): boolean {
	const a = Buffer.from(hash('sha256', received, 'hex'), 'hex');
	const b = Buffer.from(hash('sha256', expected, 'hex'), 'hex');
	return timingSafeEqual(a, b);
}

/**
 * The bytes a header value arrived as. Node hands header values over as latin1 text, one
 * character per byte; a character beyond that range cannot have come off the wire.
 */
function headerBytes(value: string): Buffer | null {
	const bytes = Buffer.from(value, 'latin1');
	// latin1 keeps each character's low byte only: a lossy round trip means a character over 0xff.
	return bytes.toString('latin1') === value ? bytes : null;
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

	if ('token' in expected) {
		// A sender puts a non-ASCII token on the wire as UTF-8, so compare with those bytes.
		const received = headerBytes(credentials);
		return received !== null && secretsEqual(received, Buffer.from(expected.token, 'utf8'));
	}

	if (!BASE64.test(credentials)) return false;
	const decoded = Buffer.from(credentials, 'base64');
	const pair = `${expected.user}:${expected.password}`;
	// Both compared whatever the first says: `echo 'user:password' | base64` (no -n) encodes a
	// trailing newline, which is still that user and password.
	const exact = secretsEqual(decoded, Buffer.from(pair, 'utf8'));
	const withNewline = secretsEqual(decoded, Buffer.from(`${pair}\n`, 'utf8'));
	return exact || withNewline;
}

/** The `WWW-Authenticate` challenge sent with a 401. */
export function challenge(scheme: ExpectedAuthorization['scheme'], realm: string): string {
	return scheme === 'Basic' ? `Basic realm="${realm}", charset="UTF-8"` : `Bearer realm="${realm}"`;
}
