/** The EFS domain layer other areas use (the channel's task assignments): records, lookups, task volumes. */
export * from './errors.ts';
export { type FileSystemBackend, LocalDirectoryBackend } from './file-system-backend.ts';
export * from './lookups.ts';
export * from './records.ts';
export { resolveEfsVolumes } from './task-volumes.ts';
