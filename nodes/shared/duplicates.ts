import { hash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { isObject } from './values';

/** How many delivery keys a node remembers, and for how long. */
export const DUPLICATE_MEMORY = {
	maxKeys: 5000,
	/** Longer than iLink's retry schedule (10 attempts over about 3 to 7 days). */
	maxAgeMs: 14 * 24 * 60 * 60 * 1000,
};

const STATIC_DATA_KEY = 'recentDeliveries';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What one node remembers in this process. `seen` answers "was this key accepted, and when" in
 * O(1). `buckets` is the persisted form: per day number, the hashes of the keys accepted that
 * day, space-separated, oldest first (integer-like keys keep a JS object ordered by day). A
 * delivery appends to today's string, so its cost does not grow with the number of keys
 * remembered.
 */
interface Memory {
	seen: Map<string, number>;
	/**
	 * Every call's static data points at this one object, kept up to date in place, so whichever
	 * call n8n saves last writes every key this process has accepted, also those of calls that
	 * ran concurrently with it.
	 */
	buckets: Record<string, string>;
}

/** Memory of each node (workflow id and node id) in this n8n process. */
const processMemory = new Map<string, Memory>();

const HASH_LENGTH = 16;

function shortHash(key: string): string {
	return hash('sha256', key, 'base64url').slice(0, HASH_LENGTH);
}

/**
 * Merges one day's stored hashes into this process's, keeping both orders (eviction takes a
 * day's first hashes, so order is age): hashes only this process has go right after the nearest
 * earlier hash both have. A key another process still stores but this one evicted comes back
 * first in line, and one that process evicted stays first in line here.
 */
function mergeDay(
	memory: Memory,
	day: number,
	mine: string,
	stored: string,
): { merged: string; onlyMine: boolean } {
	const storedEntries: string[] = [];
	const inStored = new Set<string>();
	for (const entry of stored.split(' ')) {
		if (entry.length !== HASH_LENGTH || inStored.has(entry)) continue;
		const seenAt = memory.seen.get(entry);
		if (seenAt !== undefined && Math.floor(seenAt / DAY_MS) !== day) continue; // kept on its day
		inStored.add(entry);
		storedEntries.push(entry);
	}
	const leading: string[] = [];
	const following = new Map<string, string[]>();
	let anchor: string | undefined;
	let onlyMine = false;
	for (const entry of mine.split(' ')) {
		if (!entry) continue;
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
		if (!memory.seen.has(entry)) memory.seen.set(entry, day * DAY_MS);
		merged.push(entry, ...(following.get(entry) ?? []));
	}
	return { merged: merged.length ? `${merged.join(' ')} ` : '', onlyMine };
}

/**
 * Adds to this process's memory the keys in the static data n8n loaded for this call. n8n reads
 * a workflow's static data from its database for every webhook call and saves the whole object
 * back (last writer wins), so with several processes (queue mode, multi-main) the stored copy
 * holds keys that other processes accepted; merging them before saving means no process erases
 * another's keys, and a retry that reaches another process is still recognised.
 *
 * @returns whether the stored copy lacks keys this process knows (a save would repair it)
 */
function mergeStored(memory: Memory, stored: unknown): boolean {
	if (stored === memory.buckets) return false; // the object this process wrote (one process)
	const storedBuckets = isObject(stored) ? stored : {};
	let lacksKeys = false;
	for (const [day, hashes] of Object.entries(storedBuckets)) {
		if (!/^\d+$/.test(day) || typeof hashes !== 'string') continue;
		const mine = memory.buckets[day] ?? '';
		if (mine === hashes) continue;
		// The common case with one process: the copy n8n re-read is this process's own earlier
		// save, which deliveries since have only appended to; a merge would rebuild `mine`.
		if (mine.startsWith(hashes) && (hashes === '' || hashes.endsWith(' '))) {
			lacksKeys = true;
			continue;
		}
		const { merged, onlyMine } = mergeDay(memory, Number(day), mine, hashes);
		if (merged) memory.buckets[day] = merged;
		if (onlyMine) lacksKeys = true;
	}
	for (const day of Object.keys(memory.buckets)) if (!(day in storedBuckets)) lacksKeys = true;
	return lacksKeys;
}

/** Forgets a hash of a given day's bucket, unless it was accepted again on a later day. */
function forgetHash(memory: Memory, entry: string, day: number): void {
	const seenAt = memory.seen.get(entry);
	if (seenAt !== undefined && Math.floor(seenAt / DAY_MS) === day) memory.seen.delete(entry);
}

/** Drops days older than the memory's age, then the oldest keys beyond its size. */
function evict(memory: Memory, now: number): void {
	for (const day of Object.keys(memory.buckets)) {
		if ((Number(day) + 1) * DAY_MS > now - DUPLICATE_MEMORY.maxAgeMs) break; // days are in order
		for (const entry of memory.buckets[day].split(' '))
			if (entry) forgetHash(memory, entry, Number(day));
		delete memory.buckets[day];
	}
	// Once full, forget the oldest tenth at once (one pass over the oldest day's string, rather
	// than trimming it key by key). Every remembered hash stands in the bucket of the day it was
	// accepted, so the loop ends.
	if (memory.seen.size <= DUPLICATE_MEMORY.maxKeys) return;
	const target = Math.floor(DUPLICATE_MEMORY.maxKeys * 0.9);
	while (memory.seen.size > target) {
		const oldestDay = Object.keys(memory.buckets)[0];
		if (oldestDay === undefined) break;
		const entries = memory.buckets[oldestDay].split(' ').filter(Boolean);
		let dropped = 0;
		while (dropped < entries.length && memory.seen.size > target)
			forgetHash(memory, entries[dropped++], Number(oldestDay));
		if (dropped < entries.length)
			memory.buckets[oldestDay] = `${entries.slice(dropped).join(' ')} `;
		else delete memory.buckets[oldestDay];
	}
}

/**
 * Remembers a delivery key and says whether it had been seen (within the memory's age) before,
 * by this process or by any process whose save is in `staticData`. Check and record happen in
 * one synchronous step, so two concurrent copies of one delivery in the same process cannot both
 * pass.
 *
 * @param scope identifies the node (workflow id and node id)
 * @param staticData the node's workflow static data as n8n loaded it for this call; n8n
 * persists it after the call if it changed
 */
export function rememberDelivery(
	scope: string,
	staticData: IDataObject,
	key: string,
	now: number,
): { duplicate: boolean } {
	let memory = processMemory.get(scope);
	if (!memory) {
		memory = { seen: new Map(), buckets: {} };
		processMemory.set(scope, memory);
	}
	const storedLacksKeys = mergeStored(memory, staticData[STATIC_DATA_KEY]);
	evict(memory, now);
	const entry = shortHash(key);
	const seenAt = memory.seen.get(entry);
	if (seenAt !== undefined && now - seenAt <= DUPLICATE_MEMORY.maxAgeMs) {
		// A repeat starts no execution, so n8n saves what it is given as is: write back what another
		// process's concurrent save erased, before a retry reaches a process that never saw it.
		if (storedLacksKeys) staticData[STATIC_DATA_KEY] = memory.buckets;
		return { duplicate: true };
	}

	const today = String(Math.floor(now / DAY_MS));
	memory.seen.delete(entry); // re-inserted last, keeping the map ordered oldest first
	memory.seen.set(entry, now);
	memory.buckets[today] = `${memory.buckets[today] ?? ''}${entry} `;
	evict(memory, now);
	staticData[STATIC_DATA_KEY] = memory.buckets;
	return { duplicate: false };
}

/**
 * Promise steps to wait. n8n 2.40.7 takes about a dozen (measured: the end-to-end restart test
 * fails with 4 and passes with 12); 40 leaves room for an n8n with a few more, and costs about
 * a microsecond.
 */
const HAND_OVER_STEPS = 40;
const doNothing = () => undefined;

/**
 * Marks the memory as changed again once n8n has taken the delivery over.
 *
 * n8n 2.x (seen in 2.40.7) saves a webhook call's static data only if it is still marked as
 * changed when the answer goes out, but when the call starts an execution, n8n first builds a
 * second Workflow over the same static-data object (WorkflowRunner.establishContextForPersistence),
 * which clears that mark: the keys would be lost at the next restart. n8n builds it a few promise
 * steps after webhook() returns, with no I/O in between, and saves only after the execution's
 * database writes; so setting the key again after a run of promise steps lands in between. On
 * n8n 1.x, where the mark survives, setting it again changes nothing.
 */
export function markChangedAfterHandOver(scope: string, staticData: IDataObject): Promise<void> {
	let handedOver = Promise.resolve();
	for (let step = 0; step < HAND_OVER_STEPS; step++) handedOver = handedOver.then(doNothing);
	return handedOver.then(() => {
		const memory = processMemory.get(scope);
		if (memory) staticData[STATIC_DATA_KEY] = memory.buckets;
	});
}

/** Forgets what this process remembers (tests use it to simulate an n8n restart). */
export function forgetProcessMemory(): void {
	processMemory.clear();
}
