// What every sample delivery shares: the identity of its document (a fresh id and numbers per run,
// or ones derived from --id) and local date-times. Each sender's module (nodes/<Sender>/, named in
// its sender.json) builds its own payloads from its sample deliveries with these.
import { createHash, randomInt, randomUUID } from 'node:crypto';

/** `YYYY-MM-DD HH:MM:SS` in the given time zone (falls back to UTC where Intl lacks zones). */
export function localDateTime(date, timeZone) {
	try {
		return new Intl.DateTimeFormat('sv-SE', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23',
		})
			.format(date)
			.replace(',', '');
	} catch {
		return date.toISOString().slice(0, 19).replace('T', ' ');
	}
}

/** A number from the id, so that the same --id gives the same document (a true duplicate). */
function numberFromId(id, min, max) {
	const hash = createHash('sha256').update(id).digest().readUInt32BE(0);
	return min + (hash % (max - min));
}

/**
 * The identity of this run's document: a fresh id (in the sender's style when its module has a
 * `newId`) and numbers, or ones derived from --id so that sending the same id twice is the same
 * delivery twice.
 */
export function documentIdentity(sender, fixedId, now = new Date()) {
	const id = fixedId ?? sender.module.newId?.(now) ?? randomUUID();
	const pick = (salt, min, max) =>
		fixedId ? numberFromId(`${salt}:${fixedId}`, min, max) : randomInt(min, max);
	return { id, sequence: pick('number', 1000, 99999), secondary: pick('nfse', 100, 99999) };
}
