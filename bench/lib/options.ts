/** A benchmark's `--KEY=N` option: a positive whole number, or `fallback` when it is not given. */
export function positiveInt(options: ReadonlyMap<string, string>, key: string, fallback: number): number {
	const text = options.get(key);
	if (text === undefined) {
		return fallback;
	}

	const value = Number(text);
	if (!Number.isSafeInteger(value) || value <= 0) {
		throw new Error(`--${key} takes a positive whole number, not "${text}"`);
	}

	return value;
}
