/**
 * A suffix no other writer on this machine uses at the same moment: pid, time and a counter. The
 * bridge loads this code and should not pay for node:crypto just to name a temporary file.
 */
let counter = 0;

export function uniqueSuffix(): string {
	return `${process.pid}.${process.hrtime.bigint().toString(36)}.${(counter++).toString(36)}`;
}
