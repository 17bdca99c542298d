import { hash } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isObject } from './values';

/**
 * The duplicate memory: the document events a trigger node has handed over to n8n, so that a
 * sender's retry of one is answered 200 without starting the workflow again.
 *
 * A delivery's keys count as received only once n8n holds its execution. Until then they are
 * *in flight*: a concurrent copy of the delivery in this process waits for the first copy's
 * outcome instead of running. This process counts them once the delivery was answered 2xx (n8n
 * 2.x answers after writing the execution); the database holds them once n8n saved the call's
 * static data (n8n 2.x saves only after writing the execution). Any other outcome (an error in
 * the node, n8n failing to write the execution) forgets them, so the sender's retry runs.
 * RELIABILITY.md says what each n8n version lets the node see.
 */

/** How many keys a node remembers at most (the oldest go first). */
export const DUPLICATE_MEMORY = { maxKeys: 5000 };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Where the memory lives in the node's static data: per day number, entries concatenated. */
const STORED = 'deliveryMemory';
/** Where releases up to 0.1.x kept it: per day, 16-character hashes separated by spaces. */
const LEGACY_STORED = 'recentDeliveries';
/**
 * Characters of a key's hash kept per key: 48 bits, so a new document is mistaken for one of
 * 5,000 remembered about once in 5·10^10 deliveries, at 8 bytes a key in the database.
 */
const ENTRY_LENGTH = 8;
const ENTRIES = /^[\w-]*$/;

/**
 * The item's `deliveryKey`: SHA-256 of what makes a delivery one event, base64url. Its first
 * characters are the memory's entry, which are also the first characters of the hashes the
 * 0.1.x memory stored, so entries stored before an upgrade still match.
 */
export function deliveryKeyHash(key: string): string {
	return hash('sha256', key, 'base64url');
}

const entryOf = (key: string) => deliveryKeyHash(key).slice(0, ENTRY_LENGTH);

interface Memory {
	/** Entries n8n holds (handed over here, or found in a stored copy), with their day number. */
	known: Map<string, number>;
	/** `known` by day number (integer keys keep a JS object ordered), oldest entry first. */
	days: Record<string, string[]>;
	/**
	 * Each day's entries as stored, joined when first asked for. Only one entry is appended to
	 * it between two uses that flatten it: a chain of appends would make a string that every
	 * comparison walks piece by piece.
	 */
	texts: Record<string, string>;
	/** Entries of deliveries in flight in this process, settled when their answer is out. */
	inFlight: Map<string, Promise<void>>;
	/**
	 * Entries the bound made this process forget lately. Stored copies a few saves old still hold
	 * them; taken back, they would fill the memory again and be forgotten again at every call.
	 */
	evicted: Set<string>;
	maxAgeMs: number;
}

/** Memory of each node (workflow id and node id) in this n8n process. */
const processMemory = new Map<string, Memory>();

function memoryOf(scope: string, maxAgeMs: number): Memory {
	let memory = processMemory.get(scope);
	if (!memory) {
		memory = {
			known: new Map(),
			days: {},
			texts: {},
			inFlight: new Map(),
			evicted: new Set(),
			maxAgeMs,
		};
		processMemory.set(scope, memory);
	}
	memory.maxAgeMs = maxAgeMs;
	return memory;
}

const ENTRY = new RegExp(`.{${ENTRY_LENGTH}}`, 'g');
const entriesOf = (text: string) => text.match(ENTRY) ?? [];

function addEntry(memory: Memory, entry: string, day: number): void {
	if (memory.known.has(entry)) return;
	memory.known.set(entry, day);
	(memory.days[day] ??= []).push(entry);
	// One entry onto a flat string; V8 flattens it again at the next slice or JSON.stringify.
	if (memory.texts[day] !== undefined) memory.texts[day] += entry;
}

function setDay(memory: Memory, day: string | number, entries: string[]): void {
	delete memory.texts[day];
	if (entries.length) memory.days[day] = entries;
	else delete memory.days[day];
}

const dayText = (memory: Memory, day: string | number): string =>
	(memory.texts[day] ??= (memory.days[day] ?? []).join(''));

/** Day buckets in the order of their day numbers (integer-like keys keep a JS object ordered). */
const isDay = (day: string) => /^\d{1,7}$/.test(day);

/**
 * Adds the entries of a stored copy to this process's memory. n8n reads a workflow's static data
 * from its database for every webhook call and writes the whole object back (last writer wins),
 * so with several processes (queue mode, multi-main) the stored copy holds entries the others
 * received: merged here, no process erases another's, and a retry that reaches another process
 * is still recognised.
 *
 * @returns whether the stored copy lacks entries this process knows (a save would repair it)
 */
function mergeStored(memory: Memory, staticData: IDataObject, now: number): boolean {
	const stored = isObject(staticData[STORED]) ? staticData[STORED] : {};
	let lacksEntries = false;
	for (const [day, entries] of Object.entries(stored)) {
		if (!isDay(day) || typeof entries !== 'string') continue;
		if ((Number(day) + 1) * DAY_MS <= now - memory.maxAgeMs) continue; // past the window
		const mine = dayText(memory, day);
		if (mine === entries) continue;
		// The common case with one process: this process's own earlier save, appended to since.
		// (slice and === compare flat strings as memory; startsWith goes character by character)
		if (mine.slice(0, entries.length) === entries && entries.length % ENTRY_LENGTH === 0) {
			lacksEntries = true;
			continue;
		}
		if (!ENTRIES.test(entries)) continue;
		if (mergeDay(memory, Number(day), entriesOf(entries))) lacksEntries = true;
	}
	for (const day of Object.keys(memory.days)) if (!(day in stored)) lacksEntries = true;
	return mergeLegacy(memory, staticData[LEGACY_STORED]) || lacksEntries;
}

/**
 * Merges one day's stored entries into this process's, keeping both orders (eviction takes a
 * day's first entries, so order is age): entries only this process has go right after the
 * nearest earlier entry both have. Entries this process's bound forgot lately are not taken back
 * (memory.evicted), though older copies or other processes still store them.
 *
 * @returns whether this process has entries of that day the stored copy lacks
 */
function mergeDay(memory: Memory, day: number, stored: string[]): boolean {
	const inStored = new Set<string>();
	const storedEntries: string[] = [];
	for (const entry of stored) {
		const knownDay = memory.known.get(entry);
		if (inStored.has(entry) || memory.evicted.has(entry)) continue;
		if (knownDay !== undefined && knownDay !== day) continue;
		inStored.add(entry);
		storedEntries.push(entry);
	}
	const leading: string[] = [];
	const following = new Map<string, string[]>();
	let anchor: string | undefined;
	let onlyMine = false;
	for (const entry of memory.days[day] ?? []) {
		if (inStored.has(entry)) {
			anchor = entry;
			continue;
		}
		onlyMine = true;
		if (anchor === undefined) leading.push(entry);
		else following.set(anchor, [...(following.get(anchor) ?? []), entry]);
	}
	const merged = leading;
	for (const entry of storedEntries) {
		memory.known.set(entry, day);
		merged.push(entry, ...(following.get(entry) ?? []));
	}
	setDay(memory, day, merged);
	return onlyMine;
}

/** The 0.1.x form: its hashes' first characters are entries of the same keys. */
function mergeLegacy(memory: Memory, legacy: unknown): boolean {
	if (!isObject(legacy)) return false;
	for (const [day, hashes] of Object.entries(legacy)) {
		if (!isDay(day) || typeof hashes !== 'string') continue;
		for (const hashed of hashes.split(' '))
			if (hashed.length > ENTRY_LENGTH && ENTRIES.test(hashed))
				addEntry(memory, hashed.slice(0, ENTRY_LENGTH), Number(day));
	}
	return true; // rewritten in the current form by the next save
}

/**
 * Drops days older than the sender's retry window, then the oldest entries beyond the bound,
 * leaving room for the `incoming` entries of the delivery being checked.
 */
function evict(memory: Memory, now: number, incoming: number): void {
	const forget = (day: string, count: number, bound: boolean) => {
		const entries = memory.days[day];
		for (const entry of entries.slice(0, count)) {
			memory.known.delete(entry);
			if (bound) memory.evicted.add(entry);
		}
		setDay(memory, day, entries.slice(count));
	};
	for (const day of Object.keys(memory.days)) {
		if ((Number(day) + 1) * DAY_MS > now - memory.maxAgeMs) break; // days are in order
		forget(day, Infinity, false);
	}
	// Once full, forget the oldest tenth at once rather than trimming key by key.
	if (memory.known.size + incoming <= DUPLICATE_MEMORY.maxKeys) return;
	const target = Math.floor(DUPLICATE_MEMORY.maxKeys * 0.9);
	// Keeps about the last two rounds: stored copies older than that are rare.
	if (memory.evicted.size > DUPLICATE_MEMORY.maxKeys / 5) memory.evicted.clear();
	for (const day of Object.keys(memory.days)) {
		const excess = memory.known.size + incoming - target;
		if (excess <= 0) break;
		forget(day, excess, true);
	}
}

/** What n8n has done so far with one call's hand-over, as the node can see it. */
interface HandOverSeen {
	/** n8n serialised the trigger's items to write the execution. */
	executionWritten: boolean;
	/** n8n serialised the memory to save the static data. */
	saved: boolean;
}

/**
 * What n8n saves of the memory for one call: every entry known when n8n serialises it, plus the
 * call's own entries. Built when n8n writes it (JSON.stringify calls toJSON), so a call saved
 * after others were answered also carries theirs; a concurrent call's entries that are still in
 * flight are left out, so a failed delivery never reaches the database by another's save.
 * Nothing of it is enumerable: n8n wraps enumerable static data in change-tracking proxies.
 */
function storedMemory(memory: Memory, own: string[], day: number, seen: HandOverSeen): IDataObject {
	const stored = {};
	Object.defineProperty(stored, 'toJSON', {
		value: (): Record<string, string> => {
			seen.saved = true;
			const days: Record<string, string> = {};
			for (const known of Object.keys(memory.days)) days[known] = dayText(memory, known);
			const unknown = own.filter((entry) => !memory.known.has(entry)).join('');
			if (unknown) days[day] = `${days[day] ?? ''}${unknown}`;
			return days;
		},
	});
	return stored;
}

/** The parts of n8n's HTTP response the memory watches: it settles when the answer is out. */
interface WatchedResponse {
	statusCode?: number;
	writableFinished?: boolean;
	closed?: boolean;
	once?(event: 'close', listener: () => void): unknown;
}

export interface DocumentKeys {
	/** What makes the document event one event; a retry has the same. */
	key: string;
	/** Keys earlier releases gave the same event, so their stored entries still match. */
	legacyKeys?: string[];
}

export interface MemoryCall {
	/** Identifies the node (workflow id and node id). */
	scope: string;
	/** The node's static data as n8n loaded it for this call; n8n saves it if it changed. */
	staticData: IDataObject;
	/** How long the sender may retry a delivery: keys older than that are forgotten. */
	maxAgeMs: number;
	now?: number;
}

/** The documents of one delivery, checked against the memory and held in flight. */
export interface Claim {
	/** Per document: whether n8n already holds this event (a repeat). */
	repeats: boolean[];
	/** Nothing was handed over to n8n: the claimed keys are forgotten, a retry runs. */
	release(): void;
	/**
	 * The items go to n8n: the keys are saved with the call's static data and settle with the
	 * answer. `onUnsaved` is called if the answer went out 2xx but n8n never saved them.
	 */
	handOver(items: INodeExecutionData[][], response: WatchedResponse, onUnsaved: () => void): void;
}

/**
 * Checks a delivery's documents against the memory and holds the new ones in flight. Check and
 * hold happen in one synchronous step, and a document another call of this process holds in
 * flight is waited for (then checked again), so concurrent copies of one delivery start one
 * execution, and the copy that waited runs if the first failed.
 */
export async function claimDeliveries(call: MemoryCall, documents: DocumentKeys[]): Promise<Claim> {
	for (;;) {
		const claimed = claimNow(call, documents);
		if ('repeats' in claimed) return claimed;
		await claimed.busy;
	}
}

/** One synchronous attempt: the claim, or what to wait for first. */
export function claimNow(
	call: MemoryCall,
	documents: DocumentKeys[],
): Claim | { busy: Promise<unknown> } {
	const now = call.now ?? Date.now();
	const memory = memoryOf(call.scope, call.maxAgeMs);
	const storedLacksEntries = mergeStored(memory, call.staticData, now);
	evict(memory, now, documents.length);
	const entries = documents.map((document) => entryOf(document.key));
	const busy = entries.filter((entry) => !memory.known.has(entry) && memory.inFlight.has(entry));
	if (busy.length) return { busy: Promise.all(busy.map((entry) => memory.inFlight.get(entry))) };
	const own: string[] = [];
	const repeats = documents.map((document, index) => {
		const entry = entries[index];
		const repeat =
			memory.known.has(entry) ||
			own.includes(entry) ||
			(document.legacyKeys ?? []).some((key) => memory.known.has(entryOf(key)));
		if (!repeat) own.push(entry);
		return repeat;
	});
	// A repeat starts no execution, so n8n saves what it is given: write back what another
	// process's save erased, before a retry reaches a process that never saw it.
	const round: Round = { call, memory, day: Math.floor(now / DAY_MS) };
	if (own.length === 0 && storedLacksEntries) store(round, []);
	return holdInFlight(round, own, repeats);
}

/** One check of one delivery against one node's memory. */
interface Round {
	call: MemoryCall;
	memory: Memory;
	/** The day number the delivery's entries are filed under. */
	day: number;
}

function store(
	{ call, memory, day }: Round,
	own: string[],
	seen: HandOverSeen = { executionWritten: false, saved: false },
): IDataObject {
	const stored = storedMemory(memory, own, day, seen);
	call.staticData[STORED] = stored;
	if (LEGACY_STORED in call.staticData) delete call.staticData[LEGACY_STORED];
	return stored;
}

function holdInFlight(round: Round, own: string[], repeats: boolean[]): Claim {
	const { call, memory, day } = round;
	let settle!: () => void;
	const settled = new Promise<void>((resolve) => (settle = resolve));
	for (const entry of own) memory.inFlight.set(entry, settled);
	let open = true;
	const finish = (handedOver: boolean) => {
		if (!open) return;
		open = false;
		for (const entry of own) {
			memory.inFlight.delete(entry);
			if (handedOver) addEntry(memory, entry, day);
		}
		settle();
	};
	return {
		repeats,
		release: () => finish(false),
		handOver(items, response, onUnsaved) {
			if (!open || own.length === 0) return finish(true);
			const seen = { executionWritten: false, saved: false };
			const stored = store(round, own, seen);
			markChangedWhenExecutionWritten(items, () => {
				seen.executionWritten = true;
				if (!seen.saved) call.staticData[STORED] = stored;
			});
			const answered = () => {
				const ok =
					response.writableFinished !== false &&
					(response.statusCode ?? 200) >= 200 &&
					(response.statusCode ?? 200) < 300;
				// Only the answer tells: n8n 2.x answers 2xx once the execution is written, and n8n 1.x
				// may serialise the memory and the execution before its write fails. A delivery n8n
				// holds whose answer was lost is in the database's copy, which the retry reads.
				finish(ok);
				if (ok && !seen.saved) onUnsaved();
			};
			if (typeof response.once !== 'function') finish(true);
			else if (response.closed) answered();
			else response.once('close', answered);
		},
	};
}

/**
 * n8n 2.x clears its "static data changed" mark after webhook() returns (WorkflowRunner builds a
 * second Workflow over the same static data), and would then not save the memory. What it does
 * next is write the execution, serialising the trigger's items (JSON.stringify calls toJSON), and
 * only then save the static data: marking the memory changed again at that moment does not
 * depend on how n8n gets there. n8n 1.x saves first and keeps the mark; then nothing is needed.
 * The mark is a method that JSON and n8n's deepCopy use and that nothing lists (not enumerable).
 */
function markChangedWhenExecutionWritten(
	items: INodeExecutionData[][],
	markChanged: () => void,
): void {
	const first = items.find((output) => output.length)?.[0];
	if (!first) return;
	Object.defineProperty(first, 'toJSON', {
		value(this: INodeExecutionData) {
			markChanged();
			return { ...this };
		},
		enumerable: false,
		configurable: true,
	});
}

/** Forgets what this process remembers (tests use it to simulate an n8n restart). */
export function forgetProcessMemory(): void {
	processMemory.clear();
}
