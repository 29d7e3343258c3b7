import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from './clients';
import type { AwsSettings } from './settings';

export interface StateSummary {
  /** Managed resources recorded in the state (data sources not counted). */
  resources: number;
  /** The model image the preview runs, from its SageMaker model. */
  imageUri?: string;
  /** The GitSha tag of its resources. */
  gitSha?: string;
}

interface StateFile {
  resources?: {
    mode: string;
    type: string;
    instances?: { attributes?: { primary_container?: { image?: string }[]; tags?: Record<string, string> } }[];
  }[];
}

/** What a preview's state object holds (read straight from S3), or undefined when there is none. */
export async function readStateSummary(settings: AwsSettings, key: string, s3 = new S3Client(s3ClientConfig(settings))): Promise<StateSummary | undefined> {
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: settings.stateBucket, Key: key }));
    text = await object.Body!.transformToString('utf8');
  } catch (e) {
    if ((e as Error).name === 'NoSuchKey' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw new Error(`cannot read the preview state s3://${settings.stateBucket}/${key}: ${(e as Error).message}`);
  }
  const state = JSON.parse(text) as StateFile;
  const managed = (state.resources ?? []).filter((r) => r.mode === 'managed');
  const instances = managed.flatMap((r) => (r.instances ?? []).map((i) => ({ type: r.type, attributes: i.attributes ?? {} })));
  return {
    resources: instances.length,
    imageUri: instances.find((i) => i.type === 'aws_sagemaker_model')?.attributes.primary_container?.[0]?.image,
    gitSha: instances.map((i) => i.attributes.tags?.GitSha).find(Boolean),
  };
}
