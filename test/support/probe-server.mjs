// A tiny stdio MCP server for what the npm servers do not show: a result carrying `_meta` and
// fields no schema knows, and whether a cancellation reached the server.
import {Server} from '@modelcontextprotocol/sdk/server/index.js';
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js';
import {CallToolRequestSchema, ListToolsRequestSchema} from '@modelcontextprotocol/sdk/types.js';

const server = new Server({name: 'probe', version: '1.0.0'}, {capabilities: {tools: {}}});
/** Reasons of the cancellations received, in order. */
const cancellations = [];

const emptySchema = {type: 'object', properties: {}};
server.setRequestHandler(ListToolsRequestSchema, async () => ({
	tools: [
		{name: 'meta', description: 'Returns a result with _meta and an unknown field.', inputSchema: emptySchema},
		{name: 'wait', description: 'Reports progress 0, then waits until it is cancelled.', inputSchema: emptySchema},
		{name: 'cancellations', description: 'Lists the cancellations received.', inputSchema: emptySchema},
	],
}));

server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
	switch (request.params.name) {
		case 'meta': {
			return {content: [{type: 'text', text: 'with meta'}], _meta: {'probe/trace': 'abc-123'}, extraField: {kept: true}};
		}

		case 'wait': {
			const waiting = new Promise(resolve => {
				extra.signal.addEventListener('abort', () => {
					cancellations.push(String(extra.signal.reason ?? 'cancelled'));
					resolve();
				});
			});
			// Tells the caller the call has arrived, so it can cancel a call known to be running.
			const progressToken = request.params._meta?.progressToken;
			if (progressToken !== undefined) {
				await extra.sendNotification({method: 'notifications/progress', params: {progressToken, progress: 0, message: 'waiting'}});
			}

			await waiting;
			return {content: [{type: 'text', text: 'cancelled'}]};
		}

		case 'cancellations': {
			return {content: [{type: 'text', text: JSON.stringify(cancellations)}], structuredContent: {cancellations}};
		}

		default: {
			return {content: [{type: 'text', text: `unknown tool ${request.params.name}`}], isError: true};
		}
	}
});

process.stdin.on('end', () => process.exit(0));
await server.connect(new StdioServerTransport());
