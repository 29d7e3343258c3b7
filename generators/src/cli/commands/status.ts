import { formatAge, previewStatus } from '@ephenv/preview';
import { table } from '../table';

export async function statusCommand(workspaceRoot: string): Promise<number> {
  const previews = await previewStatus(workspaceRoot);
  if (previews.length === 0) {
    console.log('no previews: start one with "npx nx run <model>:deploy-preview"');
    return 0;
  }
  console.log(
    table(
      ['PROJECT', 'PROVIDER', 'PR', 'URL', 'AGE', 'HEALTH'],
      previews.map((p) => [p.project, p.provider, p.pr, p.url, formatAge(p.ageSeconds), p.health === 'healthy' ? 'healthy' : `${p.health} (${p.detail})`]),
    ),
  );
  return previews.every((p) => p.health !== 'unhealthy') ? 0 : 1;
}
