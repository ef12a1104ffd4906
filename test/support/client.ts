import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {ClientCapabilities} from '@modelcontextprotocol/sdk/types.js';
import type {DaemonState} from '../../src/daemon/state.js';

/** A real SDK client as a session of the daemon. */
export async function connect(state: DaemonState, token: string, capabilities: ClientCapabilities = {}, name = 'test-client'): Promise<Client> {
	const client = new Client({name, version: '1.0.0'}, {capabilities});
	const transport = new StreamableHTTPClientTransport(new URL(state.url), {requestInit: {headers: {authorization: `Bearer ${token}`}}});
	await client.connect(transport);
	return client;
}
