export {
  DELIVERY_QUEUE_NAME,
  bullPrefix,
  createDeliveryQueue,
  deliveryJobs,
  type DeliveryJobData,
} from './delivery-queue.js';
