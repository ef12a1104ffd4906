/**
 * The one sentence every entry point says on a system mcp-tooling does not run on yet. Native
 * Windows lacks what the daemon is built on: Unix sockets with owner-only file modes, process
 * groups to end a server with all it started, and a `ps` to recognise processes by (README,
 * "Platforms", lists what a port needs). WSL 2 is a Linux, so everything works there.
 */
export function unsupportedPlatform(platform: NodeJS.Platform = process.platform): string | undefined {
	return platform === 'win32'
		? 'mcp-tooling: native Windows is not supported yet; WSL 2 works (run Claude Code and this plugin inside WSL).'
		: undefined;
}

/** Says `unsupportedPlatform()`'s sentence on `stream` if there is one; true when it did. */
export function refuseUnsupported(stream: NodeJS.WritableStream): boolean {
	const refusal = unsupportedPlatform();
	if (refusal !== undefined) {
		stream.write(`${refusal}\n`);
	}

	return refusal !== undefined;
}
