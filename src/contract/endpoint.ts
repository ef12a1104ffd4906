/** The daemon's HTTP paths, in a module of their own so clients need not load the server. */
export const MCP_PATH = '/mcp';
export const STATUS_PATH = '/status';
export const TOOL_SEARCH_PATH = '/tools/search';

/**
 * Headers an HTTP client may send with `initialize` to say whom it serves (values URI-encoded); bridges say it in their socket
 * greeting.
 */
export const CLIENT_HEADERS = {
	clientPid: 'x-mcp-tooling-client-pid',
	sessionId: 'x-mcp-tooling-session-id',
	projectDir: 'x-mcp-tooling-project-dir',
} as const;
