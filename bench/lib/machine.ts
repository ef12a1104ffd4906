import {readFileSync} from 'node:fs';
import {availableParallelism, loadavg} from 'node:os';

/** What the figures were measured on: they mean little without it. */
export type Machine = {
	readonly nproc: number;
	readonly cpu: string;
	readonly node: string;
	readonly platform: string;
	/** 1-minute load average when the run started: a busy machine makes every figure worse. */
	readonly loadAverage: number;
	readonly date: string;
};

function cpuModel(): string {
	try {
		const line = readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find(text => text.startsWith('model name'));
		return line?.split(':').slice(1).join(':').trim() || 'unknown';
	} catch {
		return 'unknown';
	}
}

export function describeMachine(): Machine {
	return {
		nproc: availableParallelism(),
		cpu: cpuModel(),
		node: process.version,
		platform: `${process.platform}-${process.arch}`,
		loadAverage: Math.round(loadavg()[0]! * 100) / 100,
		date: new Date().toISOString(),
	};
}

export function machineLine(machine: Machine): string {
	return `${machine.nproc} CPU (${machine.cpu}), Node ${machine.node}, ${machine.platform}, load ${machine.loadAverage}, ${machine.date}`;
}
