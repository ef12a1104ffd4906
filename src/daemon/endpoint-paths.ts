/** The daemon's HTTP paths, in a module of their own so clients need not load the server. */
export const MCP_PATH = '/mcp';
export const STATUS_PATH = '/status';
export const TOOL_SEARCH_PATH = '/tools/search';
