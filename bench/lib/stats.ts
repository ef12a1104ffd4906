/** Summary of a set of latency samples, in milliseconds. */
export type Summary = {
	readonly n: number;
	readonly mean: number;
	readonly min: number;
	readonly p50: number;
	readonly p90: number;
	readonly p99: number;
	readonly max: number;
};

/**
 * The p-th percentile (0 < p ≤ 100) of ascending `sorted` by the nearest-rank method: a value that
 * was really measured, and the same definition whatever the sample size.
 */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) {
		return Number.NaN;
	}

	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const total = sorted.reduce((sum, value) => sum + value, 0);
	return {
		n: sorted.length,
		mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
		min: sorted[0] ?? Number.NaN,
		p50: percentile(sorted, 50),
		p90: percentile(sorted, 90),
		p99: percentile(sorted, 99),
		max: sorted.at(-1) ?? Number.NaN,
	};
}
