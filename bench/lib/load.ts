import {loadavg} from 'node:os';

/** 1, 5 and 15-minute load averages now: printed at the start and end of a benchmark, since other work shares the machine. */
export function loadAverages(): [number, number, number] {
	const [one = 0, five = 0, fifteen = 0] = loadavg();
	const round = (value: number) => Math.round(value * 100) / 100;
	return [round(one), round(five), round(fifteen)];
}

export function loadLine(label = 'load average'): string {
	return `${label}: ${loadAverages().join(' ')} (1/5/15 min)`;
}
