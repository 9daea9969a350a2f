/** The Wire<ContainerInstance> shape ECS returns; it lives in the model, which ECS's events share. */
export {
  instanceView,
  remainingResources,
  reservationsByInstance,
} from '../model/container-instance-view.ts';
