export type Align = 'left' | 'right';

/** A plain-text table with a header rule; numbers are expected already formatted. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly Align[] = []): string {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => (row[column] ?? '').length)));
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
			.join('  ')
			.trimEnd();
	return [line(header), widths.map(width => '-'.repeat(width)).join('  '), ...rows.map(row => line(row))].join('\n');
}

export function ms(value: number, digits = 3): string {
	return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** The cells `n, p50 ms, p90 ms, p99 ms, mean ms` of a table of timings. */
export function timingCells(summary: {n: number; p50: number; p90: number; p99: number; mean: number}): string[] {
	return [String(summary.n), ms(summary.p50), ms(summary.p90), ms(summary.p99), ms(summary.mean)];
}

/** The cells `n, p50 ms, p90 ms, max ms` for slow timings from few runs (starts, hooks): the max, not a p99; tenths of a ms. */
export function coarseTimingCells(summary: {n: number; p50: number; p90: number; max: number}): string[] {
	return [String(summary.n), ms(summary.p50, 1), ms(summary.p90, 1), ms(summary.max, 1)];
}
