import { describe, expect, it } from 'vitest';
import { decide } from '../src/decide';
import type { EndpointCandidate } from '../src/find-candidates';
import { resourceFromArn } from '../src/find-preview-resources';
import { isNotFound, ownershipProblem } from '../src/preview-tags';

const NOW = new Date('2031-03-10T12:00:00.000Z');
const markers = { Environment: 'Ephemeral', ManagedBy: 'ephenv' };

function candidate(name: string, tags: Record<string, string>, createdHoursAgo = 1): EndpointCandidate {
  return {
    endpointName: name,
    endpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${name}`,
    creationTime: new Date(NOW.getTime() - createdHoursAgo * 3600_000),
    tags: { ...markers, ...tags },
  };
}

const MODELS = new Set(['m', 'a', 'b']);

describe('decide', () => {
  const run = (candidates: EndpointCandidate[], closed: string[] = [], maxTtlHours = 168) =>
    decide(candidates, { now: NOW, closedPrs: new Set(closed), maxTtlHours, isModel: (p) => MODELS.has(p) });

  it('reaps at ExpiresAt, not a second before', () => {
    const { previews } = run([
      candidate('m-pr-1', { Project: 'm', PR_Number: '1', ExpiresAt: '2031-03-10T12:00:00.000Z' }),
      candidate('m-pr-2', { Project: 'm', PR_Number: '2', ExpiresAt: '2031-03-10T12:00:01.000Z' }),
    ]);
    expect(previews.map((p) => [p.pr, p.reap, p.reason])).toEqual([
      ['1', true, 'expired less than a minute ago'],
      ['2', false, 'expires in less than a minute'],
    ]);
  });

  it('reaps a closed PR whatever its ExpiresAt says, in every project', () => {
    const { previews } = run(
      [
        candidate('a-pr-9', { Project: 'a', PR_Number: '9', ExpiresAt: '2031-04-01T00:00:00Z' }),
        candidate('b-pr-9', { Project: 'b', PR_Number: '9' }),
        candidate('b-pr-10', { Project: 'b', PR_Number: '10', ExpiresAt: '2031-04-01T00:00:00Z' }),
      ],
      ['9'],
    );
    expect(previews.map((p) => [p.project, p.pr, p.reap, p.reason])).toEqual([
      ['a', '9', true, 'PR closed'],
      ['b', '9', true, 'PR closed'],
      ['b', '10', false, "ExpiresAt 2031-04-01T00:00:00Z is past the policy's cap; goes at the policy's maxTtlHours (168 h after creation), in 7 d"],
    ]);
  });

  it('keeps a missing, unreadable or far-off ExpiresAt only until the policy\'s maximum age after CreationTime', () => {
    const young = run([
      candidate('m-pr-1', { Project: 'm', PR_Number: '1' }, 100),
      candidate('m-pr-2', { Project: 'm', PR_Number: '2', ExpiresAt: 'tomorrow' }, 100),
      candidate('m-pr-3', { Project: 'm', PR_Number: '3', ExpiresAt: '2040-01-01T00:00:00Z' }, 100),
    ]).previews;
    expect(young.map((p) => [p.pr, p.reap, p.reason, p.expiresAt, p.deadline])).toEqual([
      ['1', false, "no ExpiresAt tag; goes at the policy's maxTtlHours (168 h after creation), in 3 d", undefined, '2031-03-13T08:00:00.000Z'],
      ['2', false, 'ExpiresAt "tomorrow" is not a date; goes at the policy\'s maxTtlHours (168 h after creation), in 3 d', 'tomorrow', '2031-03-13T08:00:00.000Z'],
      ['3', false, "ExpiresAt 2040-01-01T00:00:00Z is past the policy's cap; goes at the policy's maxTtlHours (168 h after creation), in 3 d", '2040-01-01T00:00:00Z', '2031-03-13T08:00:00.000Z'],
    ]);

    const old = run([
      candidate('m-pr-1', { Project: 'm', PR_Number: '1' }, 169),
      candidate('m-pr-2', { Project: 'm', PR_Number: '2', ExpiresAt: 'tomorrow' }, 200),
      candidate('m-pr-3', { Project: 'm', PR_Number: '3', ExpiresAt: '2040-01-01T00:00:00Z' }, 24 * 30),
      candidate('m-pr-4', { Project: 'm', PR_Number: '4', ExpiresAt: '2031-03-11T00:00:00Z' }, 100),
    ]).previews;
    expect(old.map((p) => [p.pr, p.reap, p.reason])).toEqual([
      ['1', true, "no ExpiresAt tag; older than the policy's maxTtlHours (168 h after creation): created 7 d ago"],
      ['2', true, 'ExpiresAt "tomorrow" is not a date; older than the policy\'s maxTtlHours (168 h after creation): created 8 d ago'],
      ['3', true, "ExpiresAt 2040-01-01T00:00:00Z is past the policy's cap; older than the policy's maxTtlHours (168 h after creation): created 30 d ago"],
      ['4', false, 'expires in 12 h'],
    ]);
    // A smaller cap from the policy applies as it is.
    expect(run([candidate('m-pr-4', { Project: 'm', PR_Number: '4', ExpiresAt: '2031-03-11T00:00:00Z' }, 3)], [], 2).previews[0].reap).toBe(true);
  });

  it('without a CreationTime, falls back to ExpiresAt and says when it has neither', () => {
    const bare = (c: EndpointCandidate) => ({ ...c, creationTime: undefined });
    const { previews } = run([bare(candidate('m-pr-1', { Project: 'm', PR_Number: '1' })), bare(candidate('m-pr-2', { Project: 'm', PR_Number: '2', ExpiresAt: '2031-03-10T11:00:00Z' }))]);
    expect(previews.map((p) => [p.pr, p.reap, p.reason])).toEqual([
      ['1', false, 'no ExpiresAt tag, and no CreationTime'],
      ['2', true, 'expired 60 min ago'],
    ]);
  });

  it('groups endpoints of one preview and goes by the earliest ExpiresAt', () => {
    const { previews } = run([
      candidate('m-pr-3', { Project: 'm', PR_Number: '3', ExpiresAt: '2031-03-11T12:00:00Z' }),
      candidate('m-pr-3-shadow', { Project: 'm', PR_Number: '3', ExpiresAt: '2031-03-09T12:00:00Z' }),
    ]);
    expect(previews).toHaveLength(1);
    expect(previews[0]).toMatchObject({ reap: true, reason: 'expired 24 h ago', expiresAt: '2031-03-09T12:00:00Z' });
    expect(previews[0].endpoints.map((e) => e.endpointName)).toEqual(['m-pr-3', 'm-pr-3-shadow']);
  });

  it('sets aside, with the reason, endpoints that do not identify a preview of this checkout, and decides on the rest', () => {
    const expired = { ExpiresAt: '2020-01-01T00:00:00Z' };
    const { previews, skipped } = run([
      candidate('x', { PR_Number: '4', ...expired }),
      candidate('y', { Project: 'm', ...expired }),
      candidate('m-pr-x5', { Project: 'm', PR_Number: 'x5', ...expired }),
      candidate('m-pr-05', { Project: 'm', PR_Number: '05', ...expired }),
      candidate('Prod-pr-5', { Project: 'Prod', PR_Number: '5', ...expired }),
      candidate('m-production', { Project: 'm', PR_Number: '6', ...expired }),
      candidate('m-pr-70', { Project: 'm', PR_Number: '7', ...expired }),
      candidate('other-pr-8', { Project: 'other', PR_Number: '8', ...expired }),
      candidate('m-pr-9', { Project: 'm', PR_Number: '9', ...expired }),
      candidate('m-pr-10-canary', { Project: 'm', PR_Number: '10', ...expired }),
    ]);
    expect(skipped.map((s) => `${s.endpoint.endpointName}: ${s.why}`)).toEqual([
      'x: no Project or PR_Number tag: cannot tell which preview it belongs to',
      'y: no Project or PR_Number tag: cannot tell which preview it belongs to',
      'm-pr-x5: PR_Number tag "x5" is not a pull request number (1-999999)',
      'm-pr-05: PR_Number tag "05" is not a pull request number (1-999999)',
      'Prod-pr-5: Project tag "Prod" is not a model name',
      'm-production: its name does not follow the preview naming "m-pr-6" of its tags Project=m PR_Number=6',
      'm-pr-70: its name does not follow the preview naming "m-pr-7" of its tags Project=m PR_Number=7',
      'other-pr-8: Project "other" is not a model of this checkout (no <folder>/other/ephenv.json)',
    ]);
    expect(previews.map((p) => [p.project, p.pr, p.reap])).toEqual([
      ['m', '9', true],
      ['m', '10', true],
    ]);
  });
});

describe('ownership', () => {
  const preview = { project: 'm', pr: '4' };

  it('needs both markers with their exact values, and the preview\'s Project and PR_Number', () => {
    expect(ownershipProblem({ ...markers, Project: 'm', PR_Number: '4', GitSha: '0123abc' }, preview)).toBeUndefined();
    expect(ownershipProblem({ Environment: 'Ephemeral', Project: 'm', PR_Number: '4' }, preview)).toBe('not tagged ManagedBy=ephenv');
    expect(ownershipProblem({ ManagedBy: 'ephenv', Project: 'm', PR_Number: '4' }, preview)).toBe('not tagged Environment=Ephemeral');
    expect(ownershipProblem({ Environment: 'ephemeral', ManagedBy: 'ephenv', Project: 'm', PR_Number: '4' }, preview)).toBe('not tagged Environment=Ephemeral');
    expect(ownershipProblem({}, preview)).toBe('not tagged Environment=Ephemeral and ManagedBy=ephenv');
    expect(ownershipProblem({ ...markers, Project: 'm', PR_Number: '42' }, preview)).toBe('tagged for m PR 42, not m PR 4');
    expect(ownershipProblem({ ...markers }, preview)).toBe('tagged for (no Project) PR (no PR_Number), not m PR 4');
  });
});

describe('resourceFromArn', () => {
  it('maps the ARNs the tagging API returns to the names the delete calls take', () => {
    expect(resourceFromArn('arn:aws:sagemaker:us-east-1:123456789012:endpoint/m-pr-4')).toEqual({ kind: 'endpoint', name: 'm-pr-4' });
    expect(resourceFromArn('arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/m-pr-4-0a1b2c3d')).toEqual({ kind: 'endpoint-config', name: 'm-pr-4-0a1b2c3d' });
    expect(resourceFromArn('arn:aws:sagemaker:us-east-1:123456789012:model/m-pr-4-0a1b2c3d')).toEqual({ kind: 'model', name: 'm-pr-4-0a1b2c3d' });
    expect(resourceFromArn('arn:aws:lambda:us-east-1:123456789012:function:m-pr-4-gateway')).toEqual({ kind: 'lambda', name: 'm-pr-4-gateway' });
    expect(resourceFromArn('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/m-pr-4-gateway:*')).toEqual({ kind: 'log-group', name: '/aws/lambda/m-pr-4-gateway' });
    expect(resourceFromArn('arn:aws:ssm:us-east-1:123456789012:parameter/ephenv/m-pr-4/token')).toEqual({ kind: 'parameter', name: '/ephenv/m-pr-4/token' });
    expect(resourceFromArn('arn:aws:iam::123456789012:role/ephenv/m-pr-4-gateway')).toEqual({ kind: 'iam-role', name: 'm-pr-4-gateway' });
    expect(resourceFromArn('arn:aws:apigateway:us-east-1::/apis/a1b2c3')).toBe('covered');
    expect(resourceFromArn('arn:aws:apigateway:us-east-1::/apis/a1b2c3/stages/$default')).toBe('covered');
    expect(resourceFromArn('arn:aws:s3:::some-bucket')).toBeUndefined();
    expect(resourceFromArn('arn:aws:sagemaker:us-east-1:123456789012:training-job/x')).toBeUndefined();
  });
});

describe('isNotFound', () => {
  it('recognises each service\'s "does not exist" and nothing else', () => {
    const error = (name: string, message = '', status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    expect(isNotFound(error('ValidationException', 'Could not find endpoint "x".'))).toBe(true);
    expect(isNotFound(error('ParameterNotFound'))).toBe(true);
    expect(isNotFound(error('NoSuchEntityException', '', 404))).toBe(true);
    expect(isNotFound(error('ResourceNotFoundException', '', 404))).toBe(true);
    expect(isNotFound(error('ValidationException', 'Value at "endpointName" failed to satisfy constraint'))).toBe(false);
    expect(isNotFound(error('AccessDeniedException', 'not authorized', 403))).toBe(false);
    expect(isNotFound(error('ThrottlingException'))).toBe(false);
  });
});
