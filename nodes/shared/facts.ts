import type { INodeProperties } from 'n8n-workflow';

import { labelWords, normaliseLabel } from './values';

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

/** Words that, just before a label, turn it around: "não aceite", "not yet accepted". */
const NEGATIONS = new Set(['nao', 'nem', 'nunca', 'sem', 'not', 'never']);
/** How many words before a label a negation still reaches ("não foi aceite", "not yet accepted"). */
const NEGATION_REACH = 2;
/** A description's first words are where it says the state; a long message is not read further. */
const WORDS_READ = 64;

/** A label as a phrase to find in a sentence. */
interface Phrase<S> {
	words: string[];
	value: S;
	/** The status's place in the list: later statuses win ties (lists are in lifecycle order). */
	rank: number;
}

/**
 * Looks a label up in a list of status facts: the status whose value or labels it is (after
 * `normaliseLabel`), else the one a sentence names, as descriptions are written ("Aceite pelo
 * cliente.", "The customer rejected the invoice: ..."). In a sentence the longest label found
 * wins ("não enviado" over "enviado"), then the status later in the list ("recebido e aceite"
 * is accepted); a label just after a negation does not count ("não aceite"). Statuses without
 * labels (the catch-all "other") are only ever matched by their value.
 */
export function statusLookup<S extends string>(
	statuses: ReadonlyArray<StatusFact<S>>,
): (label: string) => S | undefined {
	const byLabel = new Map<string, S>();
	const phrases: Array<Phrase<S>> = [];
	statuses.forEach((status, rank) => {
		// The value itself as written ("FT", "tosend") answers the common case without normalising.
		byLabel.set(status.value, status.value);
		for (const label of [status.value, ...(status.labels ?? [])]) {
			byLabel.set(normaliseLabel(label), status.value);
			if (status.labels?.length)
				phrases.push({ words: labelWords(label), value: status.value, rank });
		}
	});
	// Longest first, then the latest status: the first phrase found is the one that wins.
	phrases.sort((a, b) => b.words.length - a.words.length || b.rank - a.rank);
	return (label) =>
		byLabel.get(label) ??
		byLabel.get(normaliseLabel(label)) ??
		phraseIn(labelWords(label).slice(0, WORDS_READ), phrases);
}

/** The value of the first phrase found in the words, not just after a negation. */
function phraseIn<S>(words: string[], phrases: ReadonlyArray<Phrase<S>>): S | undefined {
	for (const phrase of phrases) {
		for (let at = 0; at + phrase.words.length <= words.length; at++) {
			if (!phrase.words.every((word, offset) => words[at + offset] === word)) continue;
			const before = words.slice(Math.max(at - NEGATION_REACH, 0), at);
			if (!before.some((word) => NEGATIONS.has(word))) return phrase.value;
		}
	}
	return undefined;
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
