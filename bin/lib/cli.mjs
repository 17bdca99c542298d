// The command line of n8n-nodes-ilink-invoicy: `send-sample` posts a realistic webhook delivery
// to an n8n trigger node, exactly as its sender (iLink, InvoiCy ...) would, so the node can be
// tried without a vendor account. The senders, their kinds and flags come from the registry
// (senders.mjs). Zero dependencies: Node's own http, https, fs and crypto.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { NetworkError, postJson, startFileServer } from './http.mjs';
import { documentIdentity } from './payloads.mjs';
import { loadSenders } from './senders.mjs';

const SENDERS = await loadSenders();

/** Each kind of delivery (a trigger of a sender), by the name the command line takes. */
export const KINDS = Object.fromEntries(
	SENDERS.flatMap((sender) =>
		sender.triggers.map((trigger) => [trigger.cli.kind, { ...trigger.cli, sender, trigger }]),
	),
);

/** The auth flags of every sender, each once, in the registry's order, with who uses it. */
const AUTH_FLAGS = [
	...new Map(
		SENDERS.flatMap((sender) =>
			sender.cli.authFlags.map((flag) => [flag, { flag, sender: sender.name }]),
		),
	).values(),
];

/** The senders whose attachments are links: the command serves their files (--files-* flags). */
const FILE_SENDERS = SENDERS.filter((sender) => sender.module.servedFiles)
	.map((sender) => sender.name)
	.join('/');

export const EXIT = { ok: 0, httpError: 1, usage: 2, network: 3 };

const PROGRAM = 'n8n-nodes-ilink-invoicy';

export function version() {
	try {
		return (
			JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version ??
			'0.0.0'
		);
	} catch {
		return '0.0.0';
	}
}

/** Words joined into lines of at most `width` characters. */
function wrap(text, width = 100) {
	const lines = [];
	for (const word of text.split(' ')) {
		const last = lines.length - 1;
		if (last >= 0 && `${lines[last]} ${word}`.length <= width) lines[last] += ` ${word}`;
		else lines.push(word);
	}
	return lines.join('\n');
}

const kinds = Object.values(KINDS);
const widest = (texts) => Math.max(...texts.map((text) => text.length));
const kindWidth = widest(kinds.map(({ kind }) => kind));
const webhookWidth = widest(kinds.map(({ webhook }) => webhook));
const OPTION_INDENT = ' '.repeat(28);

const KIND_LINES = kinds
	.map(
		({ kind, webhook, trigger }) =>
			`  ${kind.padEnd(kindWidth + 3)}${webhook.padEnd(webhookWidth + 1)}(${trigger.displayName})`,
	)
	.join('\n');
const STATUS_LINES = kinds
	.map(
		({ kind, statuses, defaultStatus }) =>
			`${`${kind}:`.padEnd(kindWidth + 2)}${statuses.map((status) => (status === defaultStatus ? `${status} (default)` : status)).join(' | ')}`,
	)
	.join(`\n${OPTION_INDENT}`);

export const USAGE = `Usage:
  npx ${PROGRAM} send-sample <kind> --url <webhook URL> [auth] [options]

Posts a realistic sample delivery to an n8n trigger node of this package, exactly as the
sender would, so you can test a trigger ("Execute step" in the editor) without a vendor account.

Kinds:
${KIND_LINES}

Auth (the Authorization header the sender puts on the request):
${SENDERS.flatMap((sender) => sender.cli.usage.auth).join('\n')}

Options:
  --url <url>               The node's Test URL (after "Execute step") or Production URL
  --status <status>         ${STATUS_LINES}
  --id <document id>        Use this document id instead of a fresh one; sending the same id and
                            status twice to the Production URL shows the node ignoring the
                            repeat (test deliveries from the editor are never remembered)
  --files-host <host>       ${FILE_SENDERS}: host name or address at which n8n can reach this machine, for
                            the PDF/XML download URLs (default 127.0.0.1; for n8n in Docker try
                            host.docker.internal). Other hosts make the file server listen on all
                            interfaces while the delivery is answered.
  --files-port <port>       ${FILE_SENDERS}: port of the file server (default: any free port)
  --no-files                ${FILE_SENDERS}: keep the sample's placeholder attachment URLs (no file server)
  --timeout <seconds>       How long to wait for n8n's answer (default 30)
  --dry-run                 Print the request (secret masked) instead of sending it
  -h, --help                Show this help
  -v, --version             Show the version

${wrap(SENDERS.map((sender) => sender.cli.usage.note).join(' '))}

Exit codes: 0 HTTP 200 · 1 any other HTTP status · 2 wrong arguments · 3 network error.

Examples:
${kinds.map(({ example }) => `  npx ${PROGRAM} send-sample ${example}`).join('\n')}
`;

export class UsageError extends Error {}

const OPTIONS = {
	url: { type: 'string', short: 'u' },
	...Object.fromEntries(AUTH_FLAGS.map(({ flag }) => [flag, { type: 'string' }])),
	status: { type: 'string' },
	id: { type: 'string' },
	'files-host': { type: 'string' },
	'files-port': { type: 'string' },
	'no-files': { type: 'boolean' },
	timeout: { type: 'string' },
	'dry-run': { type: 'boolean' },
	help: { type: 'boolean', short: 'h' },
	version: { type: 'boolean', short: 'v' },
};

const CONTROL = /[\u0000-\u001f\u007f]/;

function nonEmpty(values, name) {
	const value = values[name];
	if (value === undefined) return undefined;
	if (value.trim() === '') throw new UsageError(`--${name} must not be empty`);
	if (CONTROL.test(value)) throw new UsageError(`--${name} must not contain control characters`);
	return value;
}

/** Parses and checks the arguments; throws UsageError with a message fit to show. */
export function parseCommandLine(argv) {
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
	} catch (error) {
		// parseArgs names the option, never its value.
		throw new UsageError(error.message.replace(/\. To specify a positional argument.*$/s, ''));
	}
	const { values, positionals } = parsed;
	if (values.help || positionals[0] === 'help') return { command: 'help' };
	if (values.version) return { command: 'version' };

	const [command, kind, ...extra] = positionals;
	if (!command) throw new UsageError('missing command: send-sample');
	if (command !== 'send-sample')
		throw new UsageError(`unknown command "${command}"; the command is send-sample`);
	if (!kind) throw new UsageError(`missing kind: one of ${Object.keys(KINDS).join(', ')}`);
	const definition = KINDS[kind];
	if (!definition)
		throw new UsageError(`unknown kind "${kind}"; use one of ${Object.keys(KINDS).join(', ')}`);
	if (extra.length)
		throw new UsageError(
			`unexpected argument(s) after the kind (${extra.length}); options start with --`,
		);

	const rawUrl = nonEmpty(values, 'url');
	if (!rawUrl) throw new UsageError('missing --url: the webhook URL shown in the trigger node');
	let url;
	try {
		url = new URL(rawUrl);
	} catch {
		throw new UsageError(`--url is not a valid URL: "${rawUrl}"`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new UsageError(`--url must start with http:// or https:// (got ${url.protocol}//)`);
	}
	if (url.username || url.password)
		throw new UsageError('--url must not contain a user or password; use the auth options');

	const status = values.status ?? definition.defaultStatus;
	if (!definition.statuses.includes(status)) {
		throw new UsageError(
			`--status for ${kind} must be one of ${definition.statuses.join(', ')} (got "${status}")`,
		);
	}

	const { sender } = definition;
	const authValues = Object.fromEntries(
		AUTH_FLAGS.map(({ flag }) => [flag, nonEmpty(values, flag)]),
	);
	const others = AUTH_FLAGS.filter(({ flag }) => !sender.cli.authFlags.includes(flag));
	const auth = sender.module.readAuth(authValues, others, (message) => {
		throw new UsageError(message);
	});

	const id = nonEmpty(values, 'id');
	const filesHost = nonEmpty(values, 'files-host');
	const filesPortText = nonEmpty(values, 'files-port');
	const noFiles = values['no-files'] === true;
	const servesFiles = Boolean(sender.module.servedFiles);
	if (!servesFiles && (filesHost || filesPortText || noFiles)) {
		throw new UsageError(
			`--files-host, --files-port and --no-files are for ${FILE_SENDERS}; ${sender.name} sends the files inline`,
		);
	}
	if (noFiles && (filesHost || filesPortText))
		throw new UsageError('--no-files cannot go with --files-host or --files-port');
	let filesPort = 0;
	if (filesPortText !== undefined) {
		filesPort = Number(filesPortText);
		if (!/^\d+$/.test(filesPortText) || filesPort > 65535)
			throw new UsageError('--files-port must be a port number (0-65535)');
	}
	let timeoutMs = 30_000;
	if (values.timeout !== undefined) {
		const seconds = Number(values.timeout);
		if (!Number.isFinite(seconds) || seconds <= 0)
			throw new UsageError('--timeout must be a positive number of seconds');
		timeoutMs = Math.round(seconds * 1000);
	}

	return {
		command: 'send-sample',
		kind,
		definition,
		url,
		status,
		auth,
		id,
		files: servesFiles && !noFiles,
		filesHost,
		filesPort,
		timeoutMs,
		dryRun: values['dry-run'] === true,
	};
}

function authorizationHeader(auth, { masked }) {
	if (auth.type === 'none') return undefined;
	const scheme = auth.type === 'bearer' ? 'Bearer' : 'Basic';
	return `${scheme} ${masked ? '********' : auth.secret}`;
}

export function requestHeaders(options, { masked = false } = {}) {
	const authorization = authorizationHeader(options.auth, { masked });
	return {
		'Content-Type': 'application/json',
		'User-Agent': `${PROGRAM}-send-sample/${version()} (simulating ${options.definition.sender.name} webhooks)`,
		...(authorization ? { Authorization: authorization } : {}),
	};
}

/** Every secret given on the command line, in every form it could be printed. */
function secretsOf(auth) {
	if (auth.type === 'none') return [];
	return [auth.secret, ...(auth.parts ?? [])].filter((value) => value.length > 0);
}

/**
 * Masks the secrets in text that did not come from us (n8n's answer, error messages). Secrets
 * shorter than 4 characters are left alone: masking them would garble ordinary text, and the
 * Authorization header itself is never printed unmasked.
 */
function redactor(auth) {
	const secrets = secretsOf(auth)
		.filter((secret) => secret.length >= 4)
		.sort((a, b) => b.length - a.length);
	return (text) =>
		secrets.reduce((out, secret) => out.split(secret).join('********'), String(text));
}

function oneLine(text, limit = 2000) {
	const flat = text.replace(/\s*\r?\n\s*/g, ' ').trim();
	return flat.length > limit
		? `${flat.slice(0, limit)}... (${flat.length - limit} more characters)`
		: flat;
}

const HINTS = {
	401: "the node refused the credentials: the --key/--token/--user/--password must match the node's credential (and its Authentication setting, for InvoiCy).",
	403: "the node's IP allow-list does not include this machine.",
	404: 'n8n is not listening on this URL: click "Execute step" in the node (Test URL) or publish the workflow (Production URL), and check the path.',
	413: "the node's Max Body Size option is smaller than this delivery.",
	422: 'the node rejected the payload (On Invalid Payload: Reject With 422).',
	500: "the node answered 500: usually no credential is selected in it; n8n's log says what to fix.",
};

/**
 * Runs the command line. `io` holds the output streams and is injectable for tests; returns
 * the exit code.
 */
export async function main(argv, io = { out: process.stdout, err: process.stderr }) {
	const say = (line) => io.out.write(`${line}\n`);
	let options;
	try {
		options = parseCommandLine(argv);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		io.err.write(`${PROGRAM}: ${error.message}\n\n${USAGE}`);
		return EXIT.usage;
	}
	if (options.command === 'help') {
		say(USAGE.trimEnd());
		return EXIT.ok;
	}
	if (options.command === 'version') {
		say(version());
		return EXIT.ok;
	}

	const redact = redactor(options.auth);
	const note = (line) => io.err.write(`${redact(line)}\n`);
	const { kind, definition, url, status } = options;
	const { sender, trigger } = definition;

	if (!url.pathname.replace(/\/+$/, '').endsWith(`/${trigger.webhookPath}`)) {
		note(
			`note: n8n's URLs for the ${trigger.displayName} end in /${trigger.webhookPath}; is --url that node's URL?`,
		);
	}

	const identity = documentIdentity(sender, options.id);
	let fileServer;
	try {
		if (options.files && !options.dryRun) {
			fileServer = await startFileServer({
				files: sender.module.servedFiles(sender.tools),
				advertisedHost: options.filesHost,
				port: options.filesPort,
				log: note,
			});
			note(
				`serving the sample PDF and XML at ${new URL(fileServer.urls.pdf).origin} (on ${fileServer.bindHost}) until n8n answers`,
			);
			note(
				`note: the trigger downloads links to this machine or a private network only with its option "Allow Private Addresses" on; off, the item keeps the links without the PDF and XML`,
			);
		}
	} catch (error) {
		note(`${PROGRAM}: could not start the file server: ${error.message}`);
		return EXIT.network;
	}

	try {
		const built = sender.module.build(
			{ kind, status, identity, fileUrls: fileServer?.urls },
			sender.tools,
		);
		const body = JSON.stringify(built.payload);
		const { summary } = built;
		const description = `${kind} (${sender.cli.statusWord} ${status}): document id ${summary.id}, number ${summary.number}`;

		if (options.dryRun) {
			note(
				`dry run: ${description}; nothing is sent${options.files ? ' (attachment URLs are the placeholders; a real run serves the files)' : ''}`,
			);
			say(
				JSON.stringify(
					{
						method: 'POST',
						url: url.href,
						headers: requestHeaders(options, { masked: true }),
						body: built.payload,
					},
					null,
					2,
				),
			);
			return EXIT.ok;
		}

		note(`sending ${description} to ${url.href}`);
		let response;
		try {
			response = await postJson(url, requestHeaders(options), body, options.timeoutMs);
		} catch (error) {
			if (!(error instanceof NetworkError)) throw error;
			note(`${PROGRAM}: ${error.message}`);
			return EXIT.network;
		}
		say(`HTTP ${response.status} ${redact(oneLine(response.body))}`.trimEnd());
		if (response.status !== 200) {
			const hint = HINTS[response.status];
			if (hint) note(`hint: ${hint}`);
			return EXIT.httpError;
		}
		if (fileServer && fileServer.served.length === 0 && options.files) {
			note(
				'note: n8n did not download the attachments (the node filter left the delivery out, it was a duplicate, or Download Attachments is off).',
			);
		}
		return EXIT.ok;
	} finally {
		await fileServer?.close();
	}
}
