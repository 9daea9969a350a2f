/** RegisterTaskDefinition rules: validate a request and build the TaskDefinition ECS would store. */
export { validateTags } from '../model/tag-rules.ts';
export { type BuildContext, buildTaskDefinition } from './build.ts';
export { isFargateSize } from './fargate.ts';
export { validateFamily } from './names.ts';
export { parseTaskCpu, parseTaskMemory } from './task-size.ts';
