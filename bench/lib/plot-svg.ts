/**
 * A small line chart as a standalone SVG document, written by hand (no dependencies): axes with
 * round-numbered ticks and grid lines, axis labels, a title, one polyline per series (solid or
 * dashed, with point markers) and a legend.
 */

export type Series = {
	readonly label: string;
	readonly points: ReadonlyArray<readonly [number, number]>;
	/** Any SVG colour. */
	readonly color: string;
	/** An SVG `stroke-dasharray`, e.g. "6 4"; solid when absent. */
	readonly dash?: string;
	/** Draw a dot at each point (default true). */
	readonly markers?: boolean;
};

export type LineChart = {
	readonly title: string;
	readonly subtitle?: string;
	readonly xLabel: string;
	readonly yLabel: string;
	readonly series: readonly Series[];
	/** Ticks on the x axis; by default every x any series has. */
	readonly xTicks?: readonly number[];
	/** The y axis starts at 0 unless told otherwise. */
	readonly yFromZero?: boolean;
	readonly width?: number;
	readonly height?: number;
};

function escapeXml(text: string): string {
	return text.replace(/[<>&"']/g, char => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;'})[char]!);
}

/** Compact number text: no trailing zeros, no float noise. */
function label(value: number): string {
	return String(Number(value.toPrecision(6)));
}

/**
 * About `count` ticks covering [min, max] at a round step (1, 2 or 5 times a power of ten), the
 * first at or below min and the last at or above max.
 */
export function niceTicks(min: number, max: number, count = 6): number[] {
	if (!Number.isFinite(min) || !Number.isFinite(max)) {
		return [0, 1];
	}

	if (max === min) {
		max = min + (min === 0 ? 1 : Math.abs(min));
	}

	const rough = (max - min) / Math.max(1, count - 1);
	const power = 10 ** Math.floor(Math.log10(rough));
	const step = [1, 2, 2.5, 5, 10].map(factor => factor * power).find(candidate => candidate >= rough) ?? 10 * power;
	const first = Math.floor(min / step) * step;
	const ticks: number[] = [];
	for (let value = first; value < max + step * 0.999; value += step) {
		ticks.push(Number(value.toPrecision(12)));
	}

	return ticks;
}

export function lineChartSvg(chart: LineChart): string {
	const width = chart.width ?? 720;
	const legendRowHeight = 18;
	// The legend goes under the x axis, in two columns, so it never hides a line.
	const legendRows = Math.ceil(chart.series.length / 2);
	const height = (chart.height ?? 400) + legendRows * legendRowHeight + 12;
	const margin = {top: chart.subtitle ? 62 : 46, right: 24, bottom: 58 + legendRows * legendRowHeight + 12, left: 72};
	const plotWidth = width - margin.left - margin.right;
	const plotHeight = height - margin.top - margin.bottom;

	const xs = chart.series.flatMap(series => series.points.map(([x]) => x));
	const ys = chart.series.flatMap(series => series.points.map(([, y]) => y)).filter(Number.isFinite);
	const xTicks = [...(chart.xTicks ?? [...new Set(xs)].sort((a, b) => a - b))];
	const xMin = Math.min(...xTicks, ...xs);
	const xMax = Math.max(...xTicks, ...xs);
	const yTicks = niceTicks(chart.yFromZero === false ? Math.min(...ys) : Math.min(0, ...ys), Math.max(...ys), 8);
	const yMin = yTicks[0]!;
	const yMax = yTicks.at(-1)!;

	const px = (x: number) => margin.left + (xMax === xMin ? plotWidth / 2 : ((x - xMin) / (xMax - xMin)) * plotWidth);
	const py = (y: number) => margin.top + plotHeight - ((y - yMin) / (yMax - yMin)) * plotHeight;
	const f = (value: number) => value.toFixed(1);

	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
			`font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
	);
	out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
	out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(chart.title)}</text>`);
	if (chart.subtitle) {
		out.push(`<text x="${width / 2}" y="40" text-anchor="middle" fill="#555555">${escapeXml(chart.subtitle)}</text>`);
	}

	// Grid and ticks.
	for (const tick of yTicks) {
		const y = f(py(tick));
		out.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotWidth}" y2="${y}" stroke="#e4e4e4"/>`);
		out.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#333333">${label(tick)}</text>`);
	}

	for (const tick of xTicks) {
		const x = f(px(tick));
		out.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotHeight}" stroke="#f0f0f0"/>`);
		out.push(`<line x1="${x}" y1="${margin.top + plotHeight}" x2="${x}" y2="${margin.top + plotHeight + 5}" stroke="#333333"/>`);
		out.push(`<text x="${x}" y="${margin.top + plotHeight + 18}" text-anchor="middle" fill="#333333">${label(tick)}</text>`);
	}

	// Axes.
	out.push(`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#333333"/>`);
	out.push(
		`<line x1="${margin.left}" y1="${margin.top + plotHeight}" ` +
			`x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#333333"/>`,
	);
	out.push(
		`<text x="${margin.left + plotWidth / 2}" y="${margin.top + plotHeight + 40}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
	);
	out.push(
		`<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
	);

	// Series.
	for (const series of chart.series) {
		const points = series.points.filter(([, y]) => Number.isFinite(y));
		const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
		out.push(
			`<polyline fill="none" stroke="${series.color}" stroke-width="2"${dash} ` +
				`points="${points.map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ')}"/>`,
		);
		if (series.markers ?? true) {
			for (const [x, y] of points) {
				out.push(
					`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${series.color}">` +
						`<title>${escapeXml(`${series.label}: ${label(x)}, ${label(y)}`)}</title></circle>`,
				);
			}
		}
	}

	// Legend, under the x axis label: two columns, filled row by row.
	const legendTop = margin.top + plotHeight + 56;
	const columnWidth = plotWidth / 2;
	chart.series.forEach((series, index) => {
		const x = margin.left + (index % 2) * columnWidth;
		const y = legendTop + Math.floor(index / 2) * legendRowHeight + legendRowHeight / 2;
		const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
		out.push(`<line x1="${x}" y1="${y}" x2="${x + 26}" y2="${y}" stroke="${series.color}" stroke-width="2"${dash}/>`);
		if (series.markers ?? true) {
			out.push(`<circle cx="${x + 13}" cy="${y}" r="3" fill="${series.color}"/>`);
		}

		out.push(`<text x="${x + 34}" y="${y}" dominant-baseline="middle">${escapeXml(series.label)}</text>`);
	});

	out.push('</svg>');
	return `${out.join('\n')}\n`;
}
