import type {Result} from '@modelcontextprotocol/sdk/types.js';
import {type OutputStore, OUTPUT_TTL_MS, sliceEnd} from './output-store.js';
import {READ_OUTPUT_TOOL, type TextContent} from './read-output.js';

function isText(item: unknown): item is TextContent {
	return (
		typeof item === 'object' &&
		item !== null &&
		(item as {type?: unknown}).type === 'text' &&
		typeof (item as {text?: unknown}).text === 'string'
	);
}

function continuation(key: string, kept: number, total: number): TextContent {
	return {
		type: 'text',
		text:
			`[mcp-tooling: output cut at ${kept.toLocaleString('en')} of ${total.toLocaleString('en')} characters. ` +
			`The rest is kept for ${OUTPUT_TTL_MS / 60_000} minutes: call ${READ_OUTPUT_TOOL} with {"key": "${key}", "offset": ${kept}}.]`,
	};
}

/**
 * Bounds a tool result's text to `maxChars`. The text items are cut in order; the whole text is
 * kept in the store and the result says how much it shows, how much there was, and how to read
 * on. Everything else in the result (`structuredContent`, `isError`, `_meta`, images) is kept.
 */
export function truncateResult(result: Result, maxChars: number, store: OutputStore): Result {
	const content = (result as {content?: unknown[]}).content;
	if (!Array.isArray(content)) {
		return result;
	}

	const texts = content.filter(item => isText(item));
	const total = texts.reduce((sum, item) => sum + item.text.length, 0);
	if (total <= maxChars) {
		return result;
	}

	const whole = texts.map(item => item.text).join('');
	const key = store.put(whole);
	let budget = maxChars;
	let shown = 0;
	const kept: unknown[] = [];
	for (const item of content) {
		if (!isText(item)) {
			kept.push(item);
			continue;
		}

		const end = sliceEnd(item.text, 0, budget);
		shown += end;
		// Once one item is cut the rest of the text waits for read_output: what is shown must be the
		// start of the whole text, or the offset would skip what a later item showed (and a budget
		// left by a surrogate pair held back would split the next item's).
		budget = end === item.text.length ? budget - end : 0;
		if (end === item.text.length) {
			kept.push(item);
		} else if (end > 0) {
			kept.push({...item, text: item.text.slice(0, end)});
		}
	}

	return {...result, content: [...kept, continuation(key, shown, total)]};
}
