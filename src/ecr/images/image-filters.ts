/** The filters of ListImages and DescribeImages, checked as ECR checks enums. */
import { invalidEnum } from '../model/repositories.ts';

const TAG_STATUSES = ['TAGGED', 'UNTAGGED', 'ANY'] as const;
const IMAGE_STATUSES = ['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'] as const;

/**
 * The filter's tag status, after checking both members. Every image here is ACTIVE (Longshore has
 * no archive storage class), so `imageStatus` ARCHIVED or ACTIVATING selects nothing.
 */
export function readImageFilter(filter: { tagStatus?: string; imageStatus?: string } | undefined): {
  tagStatus: string | undefined;
  none: boolean;
} {
  const tagStatus = filter?.tagStatus;
  if (tagStatus !== undefined && !(TAG_STATUSES as readonly string[]).includes(tagStatus)) {
    throw invalidEnum('filter.tagStatus', tagStatus, TAG_STATUSES);
  }
  const imageStatus = filter?.imageStatus;
  if (imageStatus !== undefined && !(IMAGE_STATUSES as readonly string[]).includes(imageStatus)) {
    throw invalidEnum('filter.imageStatus', imageStatus, IMAGE_STATUSES);
  }
  return { tagStatus, none: imageStatus === 'ARCHIVED' || imageStatus === 'ACTIVATING' };
}
