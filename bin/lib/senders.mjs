// The senders as the command line and `npm run dev` see them: nodes/senders.json lists the sender
// folders, each described by its sender.json, with the code that builds its sample deliveries in
// the module that file names (cli.module). Plain ES modules and JSON, so nothing needs compiling.
import { existsSync, readFileSync } from 'node:fs';

import { localDateTime } from './payloads.mjs';

/** The sender folders: the sources in a checkout; the installed package ships their built copy. */
const SOURCE_NODES_DIR = new URL('../../nodes/', import.meta.url);
export const NODES_DIR = existsSync(SOURCE_NODES_DIR)
	? SOURCE_NODES_DIR
	: new URL('../../dist/nodes/', import.meta.url);

/** The shared sample documents (PDF, XML) that deliveries link to or carry. */
export const SAMPLES_DIR = new URL('../../samples/', import.meta.url);

const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));

const folders = readJson(new URL('senders.json', NODES_DIR)).senders.map(
	(name) => new URL(`${name}/`, NODES_DIR),
);

/**
 * Adds a sender folder (a URL ending in "/") that is not in nodes/senders.json. For tests: a
 * module passed to `node --import` registers its folder before the command line loads the senders.
 */
export function registerSender(folder) {
	folders.push(new URL(folder));
}

/** A file of the shared sample documents, as bytes. */
export function readSample(name) {
	return readFileSync(new URL(name, SAMPLES_DIR));
}

let loaded;

/**
 * Every sender: its sender.json, its folder, its CLI module and what that module is handed
 * (`tools`: its own sample deliveries as templates, the shared sample documents, localDateTime).
 */
export function loadSenders() {
	loaded ??= Promise.all(
		folders.map(async (folder) => {
			const sender = readJson(new URL('sender.json', folder));
			const module = await import(new URL(sender.cli.module, folder).href);
			const tools = {
				template: (name) => readJson(new URL(`samples/${name}.json`, folder)),
				readSample,
				localDateTime,
			};
			return { ...sender, folder, module, tools };
		}),
	);
	return loaded;
}
