export {
  DEFAULT_DELIVERIES_PER_JOB,
  deliveryBatchJobs,
  deliveryIdsOf,
  deliveryJobId,
  deliveryJobs,
  isDeliveryBatch,
  type DeliveryBatchData,
  type DeliveryJob,
  type DeliveryJobData,
  type DeliveryQueueData,
  type QueuedDelivery,
} from './delivery-jobs.js';
export {
  DELIVERY_QUEUE_NAME,
  bullPrefix,
  closeDeliveryQueue,
  createDeliveryQueue,
  createDeliveryWorker,
  type DeliveryQueue,
} from './delivery-queue.js';
export {
  REQUEST_ADD_TIMEOUT_MS,
  deferDeliveryRun,
  handOffDeliveries,
  queueDeliveryRuns,
  type AddJobsOptions,
} from './hand-off.js';
export { deliveriesWithoutJob, queuedDeliveryIds } from './queued-deliveries.js';
