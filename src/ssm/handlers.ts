/** The table of implemented SSM operations (Parameter Store). docs/api-coverage-ssm.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { deleteParameter, deleteParameters } from './delete-parameters.ts';
import { describeParameters } from './describe-parameters.ts';
import { getParameter, getParameterHistory, getParameters, getParametersByPath } from './get-parameters.ts';
import type { SsmContext } from './model/records.ts';
import { labelParameterVersion, unlabelParameterVersion } from './parameter-labels.ts';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './parameter-tags.ts';
import { putParameter } from './put-parameter.ts';

export const handlers: Readonly<Record<string, Handler<SsmContext>>> = {
  PutParameter: { category: 'put', handle: putParameter },
  GetParameter: { category: 'get', handle: getParameter },
  GetParameters: { category: 'get', handle: getParameters },
  GetParametersByPath: { category: 'get', handle: getParametersByPath },
  GetParameterHistory: { category: 'get', handle: getParameterHistory },
  DescribeParameters: { category: 'describe', handle: describeParameters },
  DeleteParameter: { category: 'put', handle: deleteParameter },
  DeleteParameters: { category: 'put', handle: deleteParameters },
  LabelParameterVersion: { category: 'put', handle: labelParameterVersion },
  UnlabelParameterVersion: { category: 'put', handle: unlabelParameterVersion },
  AddTagsToResource: { category: 'put', handle: addTagsToResource },
  RemoveTagsFromResource: { category: 'put', handle: removeTagsFromResource },
  ListTagsForResource: { category: 'describe', handle: listTagsForResource },
};
