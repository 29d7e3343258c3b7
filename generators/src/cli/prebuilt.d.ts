/** The CLI bundled from its TypeScript sources (prebuilt.js: plain JavaScript, loaded before any compiler). */
export function prebuiltCli(workspaceRoot: string, entry: string): Promise<string>;
