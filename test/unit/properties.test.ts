/** Property-based tests (fast-check, 1000 runs per property). */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { isAuthorized } from '../../nodes/shared/auth';
import { IpAllowList } from '../../nodes/shared/ipAllowList';
import { iLinkDocumentSchema } from '../../nodes/ILink/ILinkSchema';
import { invoiCyDocumentSchema } from '../../nodes/InvoiCy/InvoiCySchema';
import { SAMPLE_NAMES, sample } from '../helpers/fixtures';
import { sampleOwner } from '../helpers/senders';
import {
	SECRETS,
	basicHeader,
	rightAuthorization,
	rawWithFileMarkers,
	readsJsonLists,
	send,
	stableFields,
	type NodeKind,
	type SendOptions,
} from '../helpers/unit';

const RUNS = { numRuns: 1000 };
const CONTRACT_STATUSES = [200, 400, 401, 403, 413, 422, 500];

// ---------------------------------------------------------------------------------------------
// (a) Arbitrary headers and bodies: never throws, contract statuses only, no start without the secret

const CONTENT_TYPES = [
	'application/json',
	'application/json; charset=utf-8',
	'text/plain',
	'text/plain; charset=utf-8',
	'application/xml',
	'text/xml',
	'application/soap+xml',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=xyz',
	'application/octet-stream',
	'text/html',
	'application/vnd.api+json',
	'',
	null,
] as const;

interface ArbitraryRequest {
	body: string | undefined;
	contentType: string | null;
}

const isJson = (text: string) => {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
};

/** n8n itself answers 400 before the node when application/json does not parse; so only valid JSON is sent so. */
const fixContentType = (request: ArbitraryRequest): ArbitraryRequest =>
	request.contentType?.startsWith('application/json') &&
	request.body !== undefined &&
	request.body !== '' &&
	!isJson(request.body)
		? { ...request, contentType: 'text/plain' }
		: request;

/** A sample with one of its (nested) values replaced by an arbitrary JSON value. */
const mutatedSample = fc
	.tuple(fc.constantFrom(...SAMPLE_NAMES), fc.nat(), fc.jsonValue())
	.map(([name, index, value]) => {
		const body = sample(name);
		const paths: Array<[Record<string, unknown>, string]> = [];
		const walk = (node: unknown) => {
			if (node && typeof node === 'object') {
				for (const [key, child] of Object.entries(node)) {
					paths.push([node as Record<string, unknown>, key]);
					walk(child);
				}
			}
		};
		walk(body);
		const [parent, key] = paths[index % paths.length];
		parent[key] = value;
		return JSON.stringify(body);
	});

const arbitraryRequest: fc.Arbitrary<ArbitraryRequest> = fc
	.oneof(
		fc.anything().map((value) => ({
			body: JSON.stringify(value),
			contentType: 'application/json' as string | null,
		})),
		fc.json().map((body) => ({ body, contentType: 'application/json' as string | null })),
		fc.record({
			body: fc.oneof(
				fc.string(),
				fc.fullUnicodeString(),
				fc.json(),
				fc.constant(undefined),
				fc.constant(''),
			),
			contentType: fc.constantFrom(...CONTENT_TYPES),
		}),
		fc.record({ body: mutatedSample, contentType: fc.constantFrom(...CONTENT_TYPES) }),
	)
	.map(fixContentType);

const arbitraryAuthorization = (right: string | undefined) =>
	fc.oneof(
		fc.constant(null),
		fc.string(),
		fc.fullUnicodeString(),
		fc.array(fc.string(), { maxLength: 3 }),
		fc
			.tuple(
				fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'basic', 'Token', ''),
				fc.string(),
			)
			.map(([scheme, rest]) => `${scheme} ${rest}`),
		fc.tuple(fc.string(), fc.string()).map(([user, password]) => basicHeader(user, password)),
		...(right
			? [
					fc.constant(right),
					fc.constant(`${right}x`),
					fc.constant(` ${right.split(' ')[0].toLowerCase()}  ${right.split(' ')[1]} `),
				]
			: []),
	);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Independent oracle: the header is `<scheme> <secret>` (scheme any case, surrounding spaces). */
const carriesSecret = (header: unknown, right: string) => {
	if (typeof header !== 'string') return false;
	const [scheme, secret] = right.split(' ');
	return new RegExp(`^\\s*${scheme}\\s+${escapeRegExp(secret)}\\s*$`, 'i').test(header);
};

const arbitraryOptions = fc.record(
	{
		invalidPayload: fc.constantFrom('invalidOutput', 'reject'),
		maxBodySize: fc.constantFrom(1, 10),
		ignoreDuplicates: fc.boolean(),
		allowedIps: fc.constantFrom('', '127.0.0.0/8', '10.0.0.0/8, ::1'),
	},
	{ requiredKeys: [] },
);

const CONFIGURATIONS: Array<{
	label: string;
	kind: NodeKind;
	parameters: { authentication?: string };
}> = [
	{ label: 'iLink new document', kind: 'iLinkNewDocument', parameters: {} },
	{ label: 'iLink status change', kind: 'iLinkStatusChange', parameters: {} },
	{ label: 'InvoiCy bearer', kind: 'invoiCyNfse', parameters: { authentication: 'bearerToken' } },
	{ label: 'InvoiCy basic', kind: 'invoiCyNfse', parameters: { authentication: 'basicAuth' } },
];

describe.each(CONFIGURATIONS)('(a) $label: arbitrary requests', ({ kind, parameters }) => {
	const right = rightAuthorization(
		kind,
		(parameters.authentication as 'basicAuth' | 'bearerToken') ?? 'bearerToken',
	)!;

	test('never throws, answers a contract status, never starts without the right credential', async () => {
		await fc.assert(
			fc.asyncProperty(
				arbitraryRequest,
				arbitraryAuthorization(right),
				fc.constantFrom('127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3', '192.0.2.1', '::1'),
				arbitraryOptions,
				fc.constantFrom('webhook', 'manual'),
				async (request, authorization, ip, options, mode) => {
					const result = await send(kind, request.body, {
						authorization,
						contentType: request.contentType,
						ip,
						parameters,
						options,
						mode: mode as SendOptions['mode'],
					});
					expect(CONTRACT_STATUSES).toContain(result.status);
					if (!carriesSecret(authorization, right)) {
						expect(result.started).toBe(false);
						expect([401, 403]).toContain(result.status);
					} else {
						expect(result.status).not.toBe(401);
					}
					if (result.started) {
						expect(result.status).toBe(200);
						expect(result.outputs).toHaveLength(2);
						expect(result.outputs[0].length + result.outputs[1].length).toBeGreaterThan(0);
					} else {
						expect(result.outputs).toEqual([]);
					}
					if (result.status !== 200)
						expect(result.body).toEqual(expect.objectContaining({ error: expect.any(String) }));
				},
			),
			RUNS,
		);
	});

	test('with the right credential: 200, 400, 413 or 422 only, and 400 exactly when the body is not a JSON object', async () => {
		await fc.assert(
			fc.asyncProperty(
				arbitraryRequest,
				fc.constantFrom('invalidOutput', 'reject'),
				async (request, invalidPayload) => {
					const result = await send(kind, request.body, {
						contentType: request.contentType,
						parameters,
						options: { invalidPayload },
						mode: 'manual',
					});
					expect([200, 400, 422]).toContain(result.status);
					const parsedObject = (() => {
						const type = (request.contentType ?? '').split(';')[0].trim();
						if (/xml$|^multipart\/|^application\/x-www-form-urlencoded$/.test(type)) return false;
						if (request.body === undefined || request.body === '') return false;
						try {
							const value = JSON.parse(request.body);
							if (Array.isArray(value)) return readsJsonLists(kind);
							return typeof value === 'object' && value !== null;
						} catch {
							return false;
						}
					})();
					expect(result.status === 400).toBe(!parsedObject);
					if (invalidPayload === 'reject') expect(result.outputs[1] ?? []).toHaveLength(0);
				},
			),
			RUNS,
		);
	});
});

// ---------------------------------------------------------------------------------------------
// (b) Valid samples with arbitrary extra fields parse to the same fields

/** Field names the parsers read (any spelling); extras never use them, so they add and never overwrite. */
const KNOWN_NAMES = new Set([
	...iLinkDocumentSchema.fieldNames,
	...invoiCyDocumentSchema.fieldNames,
	'__proto__',
	'constructor',
	'prototype',
	// iLink, nested
	'code',
	'alias',
	'alias_espap',
	'type',
	'description',
	'name',
	'payable_amount',
	'total_amount',
	'file',
	'ubl_type',
	'reason',
	'created_at',
	'response',
	'data',
	'success',
	// InvoiCy, wrappers and nested
	'documento',
	'Documento',
	'Documentos',
	'SitCodigo',
	'SitDescricao',
	'NFSeNumero',
	'NFSeCodVerificacao',
	'DocDataEmissao',
	'DocDhAut',
	'DocNomeEmitente',
	'DocCNPJEmitente',
	'DocCNPJDestinatario',
	'DocNomeDestinatario',
	'DocVlrTotal',
	'DocEvenSeq',
	'DocEveTp',
	'cStat',
	'DocEveDescricao',
	'DocEveProtocolo',
	'DocEveDhReg',
]);

const extraKey = fc
	.oneof(fc.string({ minLength: 1 }), fc.fullUnicodeString({ minLength: 1 }))
	.filter((key) => !KNOWN_NAMES.has(key));
const extras = fc.dictionary(extraKey, fc.jsonValue(), { maxKeys: 4 });

/** Every plain object in the body (root included), in a fixed order. */
function objectsOf(body: unknown): Array<Record<string, unknown>> {
	const found: Array<Record<string, unknown>> = [];
	const walk = (node: unknown) => {
		if (Array.isArray(node)) node.forEach(walk);
		else if (node && typeof node === 'object') {
			found.push(node as Record<string, unknown>);
			Object.values(node).forEach(walk);
		}
	};
	walk(body);
	return found;
}

/** The trigger a sample belongs to (its sender.json lists it). */
const KIND_FOR_SAMPLE = (name: string): NodeKind => sampleOwner(name).trigger.key;

describe.each([...SAMPLE_NAMES])('(b) %s with arbitrary extra fields', (name) => {
	const kind = KIND_FOR_SAMPLE(name);
	let baseline: IDataObject;

	beforeAll(async () => {
		const result = await send(kind, sample(name), { mode: 'manual' });
		expect(result.outputs[0]).toHaveLength(1);
		baseline = stableFields(result.outputs[0][0].json);
	});

	test('parses to the same fields, with the extras kept in raw', async () => {
		const objectCount = objectsOf(sample(name)).length;
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.tuple(fc.nat(objectCount - 1), extras), { minLength: 1, maxLength: 4 }),
				async (additions) => {
					const body = sample(name);
					const targets = objectsOf(body);
					for (const [index, fields] of additions) {
						const target = targets[index];
						for (const [key, value] of Object.entries(fields)) {
							if (!(key in target)) target[key] = value;
						}
					}
					const sent = JSON.parse(JSON.stringify(body));
					const result = await send(kind, JSON.stringify(body), { mode: 'manual' });
					expect(result.status).toBe(200);
					expect(result.outputs[0]).toHaveLength(1);
					expect(result.outputs[1]).toHaveLength(0);
					const json = result.outputs[0][0].json;
					expect(stableFields(json)).toEqual(baseline);
					expect(json.raw).toEqual(rawWithFileMarkers(sent));
				},
			),
			RUNS,
		);
	});
});

// ---------------------------------------------------------------------------------------------
// (c) isAuthorized accepts exactly the right secret

/** A secret as a credential holds it: non-empty, no whitespace (credentials are trimmed). */
const secretArb = fc
	.oneof(fc.string({ minLength: 1 }), fc.fullUnicodeString({ minLength: 1 }))
	.filter((s) => !/\s/.test(s));
const spaces = fc.stringOf(fc.constantFrom(' ', '\t'), { maxLength: 3 });
const spacesAtLeastOne = fc.stringOf(fc.constantFrom(' ', '\t'), { minLength: 1, maxLength: 3 });
const randomCase = (word: string) =>
	fc
		.array(fc.boolean(), { minLength: word.length, maxLength: word.length })
		.map((upper) =>
			[...word].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(''),
		);

/** How a token the sender puts on the wire as UTF-8 reaches the node: Node reads header bytes as latin1. */
const onTheWire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('(c) isAuthorized', () => {
	test('Bearer: the right token is accepted in any scheme case, with surrounding spaces', () => {
		fc.assert(
			fc.property(
				secretArb,
				randomCase('Bearer'),
				spaces,
				spacesAtLeastOne,
				spaces,
				(token, scheme, before, between, after) => {
					expect(
						isAuthorized(`${before}${scheme}${between}${onTheWire(token)}${after}`, {
							scheme: 'Bearer',
							token,
						}),
					).toBe(true);
				},
			),
			RUNS,
		);
	});

	test('Bearer: any other string is refused', () => {
		fc.assert(
			fc.property(
				secretArb,
				fc.oneof(fc.string(), fc.fullUnicodeString(), secretArb),
				(token, other) => {
					fc.pre(other.trim() !== onTheWire(token));
					expect(isAuthorized(`Bearer ${other}`, { scheme: 'Bearer', token })).toBe(false);
				},
			),
			RUNS,
		);
	});

	test('Bearer: arbitrary header strings are accepted exactly when they carry the token', () => {
		fc.assert(
			fc.property(secretArb, fc.oneof(fc.string(), fc.fullUnicodeString()), (token, header) => {
				expect(isAuthorized(header, { scheme: 'Bearer', token })).toBe(
					carriesSecret(header, `Bearer ${onTheWire(token)}`),
				);
			}),
			RUNS,
		);
	});

	test('Bearer: a token that differs in one character is refused', () => {
		fc.assert(
			fc.property(
				secretArb,
				fc.nat(),
				fc.constantFrom('a', 'Z', '0', '-', '~'),
				(token, index, replacement) => {
					const chars = [...token];
					const position = index % chars.length;
					fc.pre(chars[position] !== replacement);
					chars[position] = replacement;
					expect(
						isAuthorized(`Bearer ${onTheWire(chars.join(''))}`, { scheme: 'Bearer', token }),
					).toBe(false);
				},
			),
			RUNS,
		);
	});

	const userArb = fc
		.oneof(fc.string({ minLength: 1 }), fc.fullUnicodeString({ minLength: 1 }))
		.filter((s) => !/[\s:]/.test(s));
	const passwordArb = fc
		.oneof(fc.string({ minLength: 1 }), fc.fullUnicodeString({ minLength: 1 }))
		.filter((s) => s.trim() === s);

	test('Basic: base64(user:password) is accepted; any other user:password is refused', () => {
		fc.assert(
			fc.property(
				userArb,
				passwordArb,
				userArb,
				fc.oneof(passwordArb, fc.string()),
				randomCase('Basic'),
				(user, password, otherUser, otherPassword, scheme) => {
					const expected = { scheme: 'Basic' as const, user, password };
					const encode = (u: string, p: string) =>
						Buffer.from(`${u}:${p}`, 'utf8').toString('base64');
					expect(isAuthorized(`${scheme} ${encode(user, password)}`, expected)).toBe(true);
					expect(isAuthorized(`Bearer ${encode(user, password)}`, expected)).toBe(false);
					fc.pre(`${otherUser}:${otherPassword}` !== `${user}:${password}`);
					expect(isAuthorized(`Basic ${encode(otherUser, otherPassword)}`, expected)).toBe(false);
				},
			),
			RUNS,
		);
	});

	test('Basic: an arbitrary credentials string is refused unless it decodes to user:password', () => {
		fc.assert(
			fc.property(
				userArb,
				passwordArb,
				fc.oneof(fc.string(), fc.base64String()),
				(user, password, credentials) => {
					const decodesRight = Buffer.from(credentials.trim(), 'base64').equals(
						Buffer.from(`${user}:${password}`),
					);
					fc.pre(!decodesRight);
					expect(isAuthorized(`Basic ${credentials}`, { scheme: 'Basic', user, password })).toBe(
						false,
					);
				},
			),
			RUNS,
		);
	});
});

test('secrets that are not valid UTF-16 (lone surrogates) are still told apart', () => {
	// sha256 of a JS string encodes it as UTF-8, where every lone surrogate becomes U+FFFD.
	expect(isAuthorized('Bearer \uDC00', { scheme: 'Bearer', token: '\uD800' })).toBe(false);
});

// ---------------------------------------------------------------------------------------------
// (d) IpAllowList and CIDR ranges

const toIPv4 = (value: number) => [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
const ipv4Value = fc.integer({ min: 0, max: 0xffffffff });

const allowList = (entry: string) => {
	const parsed = IpAllowList.parse([entry]);
	if ('invalid' in parsed) throw new Error(`not a valid entry: ${entry}`);
	return parsed.list;
};

describe('(d) IpAllowList', () => {
	test('IPv4: a is allowed by a/p, by a itself and as ::ffff:a; flipping one of the first p bits is not', () => {
		fc.assert(
			fc.property(
				ipv4Value,
				fc.integer({ min: 0, max: 32 }),
				fc.nat(),
				(value, prefix, bitSeed) => {
					const address = toIPv4(value);
					const range = allowList(`${address}/${prefix}`);
					expect(range.allows(address)).toBe(true);
					expect(range.allows(`::ffff:${address}`)).toBe(true);
					expect(allowList(address).allows(address)).toBe(true);
					expect(allowList(address).allows(`::ffff:${address}`)).toBe(true);
					expect(allowList(`::ffff:${address}`).allows(address)).toBe(true);
					if (prefix > 0) {
						const bit = bitSeed % prefix; // 0 = most significant
						const outside = toIPv4((value ^ (1 << (31 - bit))) >>> 0);
						expect(range.allows(outside)).toBe(false);
						expect(range.allows(`::ffff:${outside}`)).toBe(false);
					}
					if (prefix < 32) {
						const bit = prefix + (bitSeed % (32 - prefix));
						const inside = toIPv4((value ^ (1 << (31 - bit))) >>> 0);
						expect(range.allows(inside)).toBe(true);
						expect(allowList(address).allows(inside)).toBe(false);
					}
				},
			),
			RUNS,
		);
	});

	const ipv6Value = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
	const toIPv6 = (groups: number[]) => groups.map((group) => group.toString(16)).join(':');

	test('IPv6: a is allowed by a/p; flipping one of the first p bits is not, a later bit is', () => {
		fc.assert(
			fc.property(
				ipv6Value,
				fc.integer({ min: 0, max: 128 }),
				fc.nat(),
				(groups, prefix, bitSeed) => {
					const address = toIPv6(groups);
					const range = allowList(`${address}/${prefix}`);
					expect(range.allows(address)).toBe(true);
					expect(allowList(address).allows(address)).toBe(true);
					const flip = (bit: number) => {
						const copy = [...groups];
						copy[Math.floor(bit / 16)] ^= 1 << (15 - (bit % 16));
						return toIPv6(copy);
					};
					if (prefix > 0) expect(range.allows(flip(bitSeed % prefix))).toBe(false);
					if (prefix < 128)
						expect(range.allows(flip(prefix + (bitSeed % (128 - prefix))))).toBe(true);
				},
			),
			RUNS,
		);
	});

	test('digit-suffix and dotted-prefix look-alikes of an allowed IPv4 are refused', () => {
		fc.assert(
			fc.property(
				ipv4Value,
				fc.integer({ min: 0, max: 9 }),
				fc.integer({ min: 0, max: 255 }),
				(value, digit, octet) => {
					const address = toIPv4(value);
					const list = allowList(address);
					// "a.b.c.0" + "0" is "a.b.c.00", the same address written with a leading zero
					fc.pre(!(address.endsWith('.0') && digit === 0));
					expect(list.allows(`${address}${digit}`)).toBe(false);
					expect(list.allows(`${octet}.${address}`)).toBe(false);
					expect(list.allows(`${address}.${octet}`)).toBe(false);
				},
			),
			RUNS,
		);
	});
});

test('property inputs really reach the pipeline (sanity: the right header starts the workflow)', async () => {
	const result = await send('iLinkNewDocument', sample('ilink-new-document'), {
		authorization: `bearer ${SECRETS.iLinkKey}`,
	});
	expect(result.started).toBe(true);
});
