/** Headers an HTTP client may send with `initialize` to say whom it serves (values URI-encoded); bridges say it in their socket greeting. */
export const CLIENT_HEADERS = {
	clientPid: 'x-mcp-tooling-client-pid',
	sessionId: 'x-mcp-tooling-session-id',
	projectDir: 'x-mcp-tooling-project-dir',
} as const;
