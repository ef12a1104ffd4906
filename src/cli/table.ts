/** How the one column that may give way fits what the terminal leaves it. */
export type Flex = {
	readonly column: number;
	/** `wrap`: over several lines (text); `cut-start`: keep the end (paths). */
	readonly mode: 'wrap' | 'cut-start';
	/** Lines a wrapped cell may take before it is cut. */
	readonly maxLines?: number;
};

export type TableOptions = {
	/** Characters available per line. */
	readonly width: number;
	readonly flex?: Flex;
};

const INDENT = '  ';
const GAP = '  ';
/** Below this the flexible column would be unreadable: lines get longer instead. */
const MIN_FLEX_WIDTH = 16;

/** The width people see a terminal (or COLUMNS) give; 120 when output goes to a file or pipe. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
	if (stream.isTTY && stream.columns > 0) {
		return stream.columns;
	}

	const columns = Number(process.env.COLUMNS);
	return Number.isInteger(columns) && columns > 0 ? columns : 120;
}

/** Splits text into lines of at most `width`, at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		let rest = word;
		while (rest.length > width) {
			if (line !== '') {
				lines.push(line);
				line = '';
			}

			lines.push(rest.slice(0, width));
			rest = rest.slice(width);
		}

		if (line === '') {
			line = rest;
		} else if (line.length + 1 + rest.length <= width) {
			line += ` ${rest}`;
		} else {
			lines.push(line);
			line = rest;
		}
	}

	if (line !== '') {
		lines.push(line);
	}

	return lines.length === 0 ? [''] : lines;
}

function cutStart(text: string, width: number): string {
	return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

/** The lines of one flexible cell, and whether something was left out. */
function fitCell(text: string, width: number, flex: Flex): {lines: string[]; cut: boolean} {
	if (text.length <= width) {
		return {lines: [text], cut: false};
	}

	if (flex.mode === 'cut-start') {
		return {lines: [cutStart(text, width)], cut: true};
	}

	const lines = wrapText(text, width);
	const maxLines = flex.maxLines ?? 3;
	if (lines.length <= maxLines) {
		return {lines, cut: false};
	}

	const kept = lines.slice(0, maxLines);
	kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
	return {lines: kept, cut: true};
}

/**
 * A table whose columns are as wide as their content. When a line would exceed `width`, the
 * flexible column gets what is left: wrapped onto more lines or cut, never pushing the others out.
 * `cut` tells whether some text was left out, so callers can say where to find it whole.
 */
export function renderTable(
	headers: readonly string[],
	rows: ReadonlyArray<readonly string[]>,
	options: TableOptions,
): {text: string; cut: boolean} {
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map(row => (row[column] ?? '').length)));
	const {flex} = options;
	if (flex !== undefined) {
		const others = widths.reduce((total, width, column) => (column === flex.column ? total : total + width + GAP.length), INDENT.length);
		widths[flex.column] = Math.max(
			Math.min(widths[flex.column]!, options.width - others),
			Math.min(MIN_FLEX_WIDTH, widths[flex.column]!),
			headers[flex.column]!.length,
		);
	}

	let cut = false;
	const render = (cells: readonly string[]): string[] => {
		const fitted = cells.map((cell, column) => {
			if (flex?.column !== column) {
				return [cell];
			}

			const result = fitCell(cell, widths[column]!, flex);
			cut ||= result.cut;
			return result.lines;
		});
		const height = Math.max(...fitted.map(lines => lines.length));
		return Array.from({length: height}, (_, index) =>
			`${INDENT}${fitted.map((lines, column) => (lines[index] ?? '').padEnd(widths[column]!)).join(GAP)}`.trimEnd(),
		);
	};

	const lines = [render(headers), ...rows.map(render)].flat();
	return {text: lines.join('\n'), cut};
}
