import type { INodeProperties } from 'n8n-workflow';

import { normaliseLabel } from './values';

/** A named set of a sender's published source addresses, allowed with one click. */
export interface AddressPreset {
	value: string;
	label: string;
	addresses: string[];
}

/** A canonical status a trigger emits and filters on, with the labels senders write for it. */
export interface StatusFact<S extends string = string> {
	value: S;
	name: string;
	/** What the editor shows under the name, where the name alone does not say it. */
	description?: string;
	/** Labels in Portuguese and English, compared after `normaliseLabel`. */
	labels?: string[];
}

/** What a sender is and can do: declared once per sender, read by the runtime and the editor. */
export interface SenderFacts {
	/** Sender name for log lines and the `WWW-Authenticate` realm ("iLink"). */
	sender: string;
	/** The items' `source` ("ilink"). */
	source: string;
	/** Published source addresses (empty when the sender publishes none). */
	addressPresets: AddressPreset[];
	/** Whether the sender's files can arrive as links that the node downloads. */
	linksFiles: boolean;
	/**
	 * How many days the sender may deliver the same event again: the duplicate memory keeps a
	 * delivery that long (and at most DUPLICATE_MEMORY.maxKeys deliveries).
	 */
	retryWindowDays: number;
}

/** Looks a label up in a list of status facts: the status whose labels include it, or undefined. */
export function statusLookup<S extends string>(
	statuses: ReadonlyArray<StatusFact<S>>,
): (label: string) => S | undefined {
	const byLabel = new Map<string, S>();
	for (const status of statuses) {
		// The value itself as written ("FT", "tosend") answers the common case without normalising.
		byLabel.set(status.value, status.value);
		for (const label of [status.value, ...(status.labels ?? [])]) {
			byLabel.set(normaliseLabel(label), status.value);
		}
	}
	return (label) => byLabel.get(label) ?? byLabel.get(normaliseLabel(label));
}

/** The editor's multi-select of statuses that start the workflow, all selected by default. */
export function statusFilterProperty(
	parameter: { displayName: string; name: string; description: string },
	statuses: ReadonlyArray<StatusFact>,
): INodeProperties {
	return {
		...parameter,
		type: 'multiOptions',
		options: statuses
			.map(({ name, value, description }) => ({ name, value, description }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: statuses.map((status) => status.value),
	};
}
