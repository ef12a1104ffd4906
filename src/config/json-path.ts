/** Segments that read unambiguously after a dot; anything else is bracketed and quoted. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Renders a location inside the config as JSONPath, e.g. `$.mcpServers.github.args[1]`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
	let path = '$';
	for (const segment of segments) {
		if (typeof segment === 'number') path += `[${segment}]`;
		else {
			const key = String(segment);
			path += PLAIN_SEGMENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
		}
	}
	return path;
}
