/**
 * The senders as the tests see them: the registry (nodes/senders.json), each sender's sender.json
 * and its trigger nodes. A trigger has one name, its key: key `iLinkStatusChange` is node type
 * `iLinkStatusChangeTrigger`, class `ILinkStatusChangeTrigger` in `ILinkStatusChangeTrigger.node.ts`.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { IDataObject, INodeType } from 'n8n-workflow';

export const ROOT = join(__dirname, '..', '..');

export interface SenderTrigger {
	/** The trigger's one name in the code (and the tests' node kind). */
	key: string;
	displayName: string;
	webhookPath: string;
	/** Its sample deliveries (samples/<name>.json), the typical one first. */
	samples: string[];
	dev: { workflow: string };
	cli: { kind: string; statuses: string[]; defaultStatus: string };
}

export interface Sender {
	name: string;
	/** Absolute path of the sender's folder. */
	folder: string;
	triggers: SenderTrigger[];
	cli: { module: string; authFlags: string[] };
	dev: { credentials: Array<{ id: string; name: string; type: string; data: IDataObject }> };
}

/** Reads a sender folder's sender.json: the registry's senders, or a test's own (test/example-sender). */
export function readSender(folder: string): Sender {
	return { ...JSON.parse(readFileSync(join(folder, 'sender.json'), 'utf8')), folder };
}

const registry = JSON.parse(readFileSync(join(ROOT, 'nodes', 'senders.json'), 'utf8')) as {
	senders: string[];
};

export const SENDERS: Sender[] = registry.senders.map((name) =>
	readSender(join(ROOT, 'nodes', name)),
);

/** Every registered trigger with its sender. */
export const TRIGGERS = SENDERS.flatMap((sender) =>
	sender.triggers.map((trigger) => ({ sender, trigger })),
);

export const nodeTypeName = (key: string) => `${key}Trigger`;
export const className = (key: string) => `${key[0].toUpperCase()}${key.slice(1)}Trigger`;

/** The trigger's node file, relative to the repository (without extension). */
export const nodeFile = (sender: Sender, trigger: SenderTrigger) =>
	relative(ROOT, join(sender.folder, `${className(trigger.key)}.node`));

/** A new instance of the trigger's node, loaded from its sender's folder. */
export function triggerNode(sender: Sender, trigger: SenderTrigger): INodeType {
	const name = className(trigger.key);
	const loaded = require(join(sender.folder, `${name}.node`)) as Record<
		string,
		new () => INodeType
	>;
	return new loaded[name]();
}

/** The trigger a sample delivery belongs to, and the file it is in. */
export function sampleOwner(name: string) {
	for (const { sender, trigger } of TRIGGERS) {
		if (trigger.samples.includes(name))
			return { sender, trigger, path: join(sender.folder, 'samples', `${name}.json`) };
	}
	throw new Error(`no registered sender has a sample named ${name}`);
}
