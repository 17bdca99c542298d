import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** How many delivery keys a node remembers, and for how long. */
export const DUPLICATE_MEMORY = {
	maxKeys: 5000,
	/** Longer than iLink's retry schedule (10 attempts over about 3 to 7 days). */
	maxAgeMs: 14 * 24 * 60 * 60 * 1000,
};

const STATIC_DATA_KEY = 'recentDeliveries';

/**
 * Keys seen by each node in this n8n process, oldest first. The workflow's static data is the
 * copy that survives restarts, but each webhook call works on its own copy of it and the last
 * save wins, so concurrent deliveries could erase each other's keys. This shared map sees every
 * call in the process, and each save writes all of it back.
 */
const processMemory = new Map<string, Map<string, number>>();

function shortHash(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

function loadStored(staticData: IDataObject): Map<string, number> {
	const stored = staticData[STATIC_DATA_KEY];
	const memory = new Map<string, number>();
	if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
		const entries = Object.entries(stored as IDataObject)
			.filter((entry): entry is [string, number] => typeof entry[1] === 'number')
			.sort((a, b) => a[1] - b[1]);
		for (const [hash, seenAt] of entries) memory.set(hash, seenAt);
	}
	return memory;
}

/**
 * Remembers a delivery key and says whether it had been seen (within the memory's age) before.
 * Check and record happen in one synchronous step, so two concurrent copies of one delivery in
 * the same process cannot both pass.
 *
 * @param scope identifies the node (workflow id and node id)
 * @param staticData the node's workflow static data, which n8n persists after the call
 */
export function rememberDelivery(
	scope: string,
	staticData: IDataObject,
	key: string,
	now: number,
): { duplicate: boolean } {
	let memory = processMemory.get(scope);
	if (!memory) {
		memory = loadStored(staticData);
		processMemory.set(scope, memory);
	}
	const hash = shortHash(key);
	const seenAt = memory.get(hash);
	if (seenAt !== undefined && now - seenAt <= DUPLICATE_MEMORY.maxAgeMs) return { duplicate: true };

	memory.delete(hash); // re-inserted last, keeping the map ordered oldest first
	memory.set(hash, now);
	for (const [oldHash, oldSeenAt] of memory) {
		const tooOld = now - oldSeenAt > DUPLICATE_MEMORY.maxAgeMs;
		if (!tooOld && memory.size <= DUPLICATE_MEMORY.maxKeys) break;
		memory.delete(oldHash);
	}
	staticData[STATIC_DATA_KEY] = Object.fromEntries(memory);
	return { duplicate: false };
}

/** Forgets what this process remembers (tests use it to simulate an n8n restart). */
export function forgetProcessMemory(): void {
	processMemory.clear();
}
