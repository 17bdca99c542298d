/**
 * How the benchmarks time contenders against each other in one process (bench/details.ts,
 * bench/inprocess.ts): n8n-free helpers, run with `node --expose-gc`.
 */
const exposedGc = (globalThis as { gc?: () => void }).gc;
if (!exposedGc) throw new Error('run with node --expose-gc');
/** A full collection, so that no contender pays for another's garbage. */
export const gc: () => void = exposedGc;

export const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One side of a comparison: its inputs, made before the clock starts, and one run on one. */
export interface Contender<Input> {
	inputs: (from: number, count: number) => Input[];
	/** A run that returns a promise is awaited; a synchronous one is timed as it is. */
	run: (input: Input) => unknown;
}

/**
 * The median µs per run of each contender. Each round runs every contender `perRound` times,
 * the contenders' order alternating between rounds so that neither always follows a
 * collection; the first `warmUp` rounds are not counted.
 */
export async function alternate(
	contenders: Array<Contender<any>>,
	{ rounds, perRound, warmUp }: { rounds: number; perRound: number; warmUp: number },
): Promise<number[]> {
	const times = contenders.map(() => [] as number[]);
	const indexes = contenders.map((_, k) => k);
	let next = 0;
	for (let round = -warmUp; round < rounds; round++) {
		for (const k of round % 2 === 0 ? indexes : [...indexes].reverse()) {
			const inputs = contenders[k].inputs(next, perRound);
			gc();
			const t0 = process.hrtime.bigint();
			for (const input of inputs) {
				const result = contenders[k].run(input);
				if (result instanceof Promise) await result;
			}
			if (round >= 0) times[k].push(Number(process.hrtime.bigint() - t0) / perRound / 1000);
		}
		next += perRound;
	}
	return times.map(median);
}

/**
 * fast-xml-parser's options that give what our XML reader gives (attributes, namespace prefixes
 * removed, values left as text): the comparison the Document Details target is about.
 */
export const FXP_SAME_INFORMATION = {
	ignoreAttributes: false,
	attributeNamePrefix: '',
	removeNSPrefix: true,
	parseTagValue: false,
	parseAttributeValue: false,
};
