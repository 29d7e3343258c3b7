import { runSimulation } from '@cloud-copilot/iam-simulate';
import { readFileSync } from 'node:fs';
const roles = JSON.parse(readFileSync('/tmp/roles.json','utf8'));
const A='123456789012';
const can = async (role, action, resource, ctx={}) => { const r = await runSimulation({ request: { principal: `arn:aws:sts::${A}:assumed-role/ephenv-${role}/ci`, action, resource: { resource, accountId: A }, contextVariables: ctx }, identityPolicies: roles[role].policies, serviceControlPolicies: [], resourceControlPolicies: [] }, {}); return [r.overallResult, r.errors, r.result?.ignoredContextKeys]; };
const P='iris-classifier-pr-42';
for (const [a,r,c] of [
 ['sagemaker:CreateModel', `arn:aws:sagemaker:us-east-1:${A}:model/${P}-0a1b2c3d`],
 ['sagemaker:CreateEndpoint', `arn:aws:sagemaker:us-east-1:${A}:endpoint/${P}`],
 ['sagemaker:DeleteEndpoint', `arn:aws:sagemaker:us-east-1:${A}:endpoint/${P}`],
 ['sagemaker:DeleteEndpointConfig', `arn:aws:sagemaker:us-east-1:${A}:endpoint-config/${P}-0a1b2c3d`],
 ['lambda:CreateFunction', `arn:aws:lambda:us-east-1:${A}:function:${P}-gateway`],
 ['s3:PutObject', `arn:aws:s3:::ephenv-state-sim/previews/iris-classifier/pr-42.tfstate`],
 ['iam:CreateRole', `arn:aws:iam::${A}:role/ephenv/${P}-gateway`, {'iam:PermissionsBoundary': `arn:aws:iam::${A}:policy/ephenv/ephenv-deploy-preview-boundary`, 'aws:RequestTag/ManagedBy':'ephenv','aws:RequestTag/Environment':'Ephemeral'}],
]) console.log(a, JSON.stringify(await can('deploy', a, r, c)));
