import type { Tree } from '@nx/devkit';

/** Local state ephenv writes and nobody commits: previews (with tokens), venvs, results, Terraform dirs. */
export const IGNORED = ['.ephenv/', 'dist/', '.terraform/', '*.tfstate', '*.tfstate.*', '.venv/', '__pycache__/', '.pytest_cache/'];

export function updateGitignore(tree: Tree): void {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') ?? '' : '';
  const present = new Set(current.split('\n').map((l) => l.trim()));
  const missing = IGNORED.filter((entry) => !present.has(entry) && !present.has(`/${entry}`));
  if (missing.length === 0) return;
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`;
  tree.write('.gitignore', `${prefix}${prefix ? '\n' : ''}# ephenv\n${missing.join('\n')}\n`);
}
