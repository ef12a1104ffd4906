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
