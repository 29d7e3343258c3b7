import { ListTagsCommand, paginateListEndpoints, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { hasEphemeralMarkers, isNotFound, tagMap, type Tags } from './preview-tags';

/** A SageMaker endpoint carrying both ephemeral marker tags. */
export interface EndpointCandidate {
  endpointName: string;
  endpointArn: string;
  /** AWS's own creation time (ListEndpoints), which the pull request cannot set. */
  creationTime?: Date;
  tags: Tags;
}

/** Tags of any SageMaker resource (endpoint, endpoint config, model) by ARN. */
export async function sagemakerTags(sagemaker: SageMakerClient, arn: string): Promise<Tags> {
  const tags: Tags = {};
  let NextToken: string | undefined;
  do {
    const page = await sagemaker.send(new ListTagsCommand({ ResourceArn: arn, NextToken }));
    Object.assign(tags, tagMap(page.Tags));
    NextToken = page.NextToken;
  } while (NextToken);
  return tags;
}

/**
 * Every endpoint of the account and region tagged Environment=Ephemeral and ManagedBy=ephenv;
 * endpoints without both tags are not returned, whatever their name.
 */
export async function findCandidates(sagemaker: SageMakerClient): Promise<EndpointCandidate[]> {
  const candidates: EndpointCandidate[] = [];
  for await (const page of paginateListEndpoints({ client: sagemaker }, {})) {
    for (const endpoint of page.Endpoints ?? []) {
      let tags: Tags;
      try {
        tags = await sagemakerTags(sagemaker, endpoint.EndpointArn!);
      } catch (e) {
        if (isNotFound(e)) continue; // deleted since the listing
        throw e;
      }
      if (hasEphemeralMarkers(tags)) candidates.push({ endpointName: endpoint.EndpointName!, endpointArn: endpoint.EndpointArn!, creationTime: endpoint.CreationTime, tags });
    }
  }
  return candidates;
}
