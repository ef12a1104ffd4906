/** `count` and the noun agreeing with it: "1 server", "2 servers", "3 entries" (given the irregular form). */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
	return `${count} ${count === 1 ? noun : nouns}`;
}
