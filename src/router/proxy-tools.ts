import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import {READ_OUTPUT_TOOL} from './truncate.js';

export const RETRIEVE_TOOLS = 'retrieve_tools';
export const CALL_TOOL = 'call_tool';

/** The proxy's own tools; their names are reserved, no server's tool may take them. */
export const PROXY_TOOL_NAMES = [RETRIEVE_TOOLS, CALL_TOOL, READ_OUTPUT_TOOL] as const;

export const retrieveToolsTool = (dynamic: boolean): Tool => ({
	name: RETRIEVE_TOOLS,
	description:
		'Find tools for a task among all tools of the MCP servers behind this proxy. Describe what you want to do in plain words; ' +
		'the best matches come first, each with its name, server, description and input schema. ' +
		(dynamic ? 'The matches are also added to your tool list, so you can call them directly. ' : '') +
		`Call a match with ${CALL_TOOL} {name, args}.`,
	inputSchema: {
		type: 'object',
		properties: {
			query: {type: 'string', description: 'What you want to do, e.g. "read a file from disk" or "create a GitHub issue".'},
			limit: {type: 'integer', minimum: 1, maximum: 50, description: 'How many matches to return (default 10).'},
		},
		required: ['query'],
	},
	annotations: {title: 'Find tools', readOnlyHint: true, openWorldHint: false},
});

export const callToolTool: Tool = {
	name: CALL_TOOL,
	description: `Call a tool found with ${RETRIEVE_TOOLS}: give its name exactly as listed there and its arguments.`,
	inputSchema: {
		type: 'object',
		properties: {
			name: {type: 'string', description: `The tool's name, as ${RETRIEVE_TOOLS} listed it.`},
			args: {type: 'object', description: "The tool's arguments, matching its input schema.", additionalProperties: true},
		},
		required: ['name'],
	},
};

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
