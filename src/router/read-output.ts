import type {Result, Tool} from '@modelcontextprotocol/sdk/types.js';
import {type OutputStore, OUTPUT_TTL_MS, sliceEnd} from './output-store.js';

/** The proxy's tool for the rest of an output `truncateResult` cut. */
export const READ_OUTPUT_TOOL = 'read_output';

export type TextContent = {type: 'text'; text: string};

export const readOutputTool: Tool = {
	name: READ_OUTPUT_TOOL,
	description: 'Read more of a tool output that was cut because it was too long. Give the key and offset the cut output named.',
	inputSchema: {
		type: 'object',
		properties: {
			key: {type: 'string', description: 'The key the cut output named.'},
			offset: {type: 'integer', minimum: 0, description: 'Where to continue, in characters; the cut output named it.'},
		},
		required: ['key', 'offset'],
	},
	annotations: {title: 'Read the rest of a cut output', readOnlyHint: true, openWorldHint: false},
};

/** `read_output {key, offset}`: the next piece of a cut output. */
export function readOutput(store: OutputStore, key: string, offset: number, maxChars: number): Result {
	const whole = store.get(key);
	if (whole === undefined) {
		return {
			isError: true,
			content: [
				{
					type: 'text',
					text:
						`No kept output under key "${key}": it expired after ${OUTPUT_TTL_MS / 60_000} minutes or was never made. ` +
						'Call the tool again.',
				},
			],
		};
	}

	const start = Math.max(0, Math.min(offset, whole.length));
	let end = sliceEnd(whole, start, maxChars);
	if (end === start && start < whole.length) {
		// A one-character bound before a surrogate pair: the pair goes whole, or reading never moves on.
		end = Math.min(whole.length, start + 2);
	}

	const piece: TextContent = {type: 'text', text: whole.slice(start, end)};
	return {
		content:
			end < whole.length
				? [
						piece,
						{
							type: 'text',
							text:
								`[mcp-tooling: characters ${start}–${end} of ${whole.length}; ` +
								`call ${READ_OUTPUT_TOOL} with {"key": "${key}", "offset": ${end}} for more.]`,
						},
					]
				: [piece],
	};
}
